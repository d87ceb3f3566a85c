"""Device generators: seeded from NumPy's global random state; their state saved and restored."""

import numpy
import pytest

import polychain.functions as F
from polychain.backend import generator_states as device_random


def dropout_mask(device):
    x = device.send(numpy.ones((64,), 'f'))
    return numpy.asarray(device.backend.to_host(F.dropout(x, 0.5).array)) != 0


def first_use_mask(device, monkeypatch, seed):
    """The first dropout mask of ``device`` in a fresh process after ``numpy.random.seed(seed)``."""
    monkeypatch.setattr(device, '_generator', None)
    numpy.random.seed(seed)
    return dropout_mask(device)


def test_numpy_random_seed_repeats_dropout(device, monkeypatch):
    first = first_use_mask(device, monkeypatch, 0)
    again = first_use_mask(device, monkeypatch, 0)
    other = first_use_mask(device, monkeypatch, 1)
    numpy.testing.assert_array_equal(again, first)
    assert (other != first).any()


def test_device_seed_takes_precedence_over_numpy(device, monkeypatch):
    monkeypatch.setattr(device, '_generator', None)
    device.seed(5)
    numpy.random.seed(0)
    seeded = dropout_mask(device)
    device.seed(5)
    numpy.random.seed(1)
    numpy.testing.assert_array_equal(dropout_mask(device), seeded)


def test_state_round_trip(device):
    generator = device.random
    state = generator.get_state()
    assert isinstance(state, numpy.ndarray)
    first = dropout_mask(device)
    generator.set_state(state)
    numpy.testing.assert_array_equal(dropout_mask(device), first)


def test_set_state_rejects_a_foreign_state(device):
    with pytest.raises(ValueError, match='state'):
        device.random.set_state(numpy.zeros((3,), numpy.float32))


def test_generator_states_restore_every_device_drawn_from(device):
    device.random  # noqa: B018 (creates the generator)
    states = device_random.generator_states()
    assert str(device) in states
    first = dropout_mask(device)
    device_random.set_generator_states(states)
    numpy.testing.assert_array_equal(dropout_mask(device), first)


def test_generator_states_of_devices_not_usable_here_are_skipped(device):
    states = {str(device): device.random.get_state(),
              '@nosuchbackend': numpy.zeros((2,), numpy.uint32)}
    first = dropout_mask(device)
    with pytest.warns(UserWarning, match='@nosuchbackend'):
        device_random.set_generator_states(states)
    numpy.testing.assert_array_equal(dropout_mask(device), first)
