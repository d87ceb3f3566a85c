"""Saving and restoring the random states of the devices' generators (snapshots use them)."""

from __future__ import annotations

import warnings

import numpy

from polychain.backend.errors import BackendUnavailable
from polychain.backend.random import generator_devices
from polychain.backend.registry import get_device


def generator_states() -> dict[str, numpy.ndarray]:
    """The states of the devices' generators drawn from so far, by device specifier.

    Generators without ``get_state`` are left out.
    """
    return {str(device): device.random.get_state() for device in generator_devices()
            if hasattr(device.random, 'get_state')}


def set_generator_states(states: dict[str, numpy.ndarray]) -> None:
    """Restores states returned by :func:`generator_states` (all checked before any is set).

    Devices that cannot be used here are skipped with a warning.

    Raises:
        ValueError: A state does not fit its device's generator.
    """
    generators = []
    for spec, state in states.items():
        try:
            device = get_device(spec)
        except (ValueError, BackendUnavailable) as error:
            warnings.warn(f'the random state of {spec} is not restored: {error}', stacklevel=2)
            continue
        generators.append((device.random, state))
    for generator, state in generators:
        generator.check_state(state)
    for generator, state in generators:
        generator.set_state(state)
