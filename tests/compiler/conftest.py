"""Compiled steps are tested on JAX's CPU device, the one backend here that compiles."""

import pytest

import polychain
from polychain.backend import BackendUnavailable


@pytest.fixture
def jax_device():
    """``@jax:cpu:0``; the test is skipped where JAX is not installed."""
    try:
        return polychain.get_device('@jax:cpu:0')
    except (ValueError, BackendUnavailable) as error:
        pytest.skip(f'compiled steps need JAX (pip install polychain[jax]): {error}')
