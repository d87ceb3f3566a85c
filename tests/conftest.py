"""Shared fixtures: every backend test runs on each available device and dtype.

``POLYCHAIN_TEST_DEVICES`` (comma-separated specifiers) narrows the devices,
e.g. ``POLYCHAIN_TEST_DEVICES=@jax:cpu:0`` in the jax tox environment.
"""

from __future__ import annotations

import os

import numpy
import pytest

import polychain
from polychain.backend import BackendUnavailable

CANDIDATE_DEVICES = ('@numpy', '@jax:cpu:0', '@strict', '@cupy:0')


def _selected_devices() -> list[str]:
    chosen = os.environ.get('POLYCHAIN_TEST_DEVICES')
    if chosen:
        return [spec.strip() for spec in chosen.split(',') if spec.strip()]
    return list(CANDIDATE_DEVICES)


def _device_params() -> list:
    params = []
    for spec in _selected_devices():
        try:
            polychain.get_device(spec)
        except (ValueError, BackendUnavailable) as error:
            params.append(pytest.param(spec, marks=pytest.mark.skip(
                reason=f'{spec} is not usable here: {error}'), id=spec))
            continue
        params.append(pytest.param(spec, id=spec))
    return params


@pytest.fixture(params=_device_params())
def device(request):
    """A usable :class:`polychain.backend.Device`, one per available backend."""
    return polychain.get_device(request.param)


@pytest.fixture(params=['float32', 'float64'])
def dtype(request):
    """The floating dtypes every function supports, as NumPy dtypes."""
    return numpy.dtype(request.param)


@pytest.fixture
def tolerance(dtype):
    """(atol, rtol) for gradient checks in ``dtype``."""
    return {'float32': (1e-3, 1e-3), 'float64': (1e-7, 1e-6)}[dtype.name]


@pytest.fixture
def rng():
    """A seeded host generator for test inputs."""
    return numpy.random.default_rng(0)
