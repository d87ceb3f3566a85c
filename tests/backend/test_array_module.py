"""``xp`` of each device: the library's own module, with NumPy's ``random`` on every backend."""

from __future__ import annotations

import numpy
import pytest

import polychain
from polychain.backend import DeviceModule, NumpyRandom, to_host


def test_numpy_device_xp_is_numpy_and_its_namespace_is_array_api():
    device = polychain.get_device('@numpy')
    assert device.xp is numpy
    assert device.namespace is not numpy
    assert device.namespace.__array_api_version__


def test_jax_device_xp_is_jax_numpy_with_a_numpy_style_random():
    jnp = pytest.importorskip('jax.numpy')
    device = polychain.get_device('@jax:cpu:0')
    xp = device.xp
    assert isinstance(xp, DeviceModule)
    assert xp.asarray is jnp.asarray and xp.ndarray is jnp.ndarray and xp.float32 is jnp.float32
    assert xp.__name__ == 'jax.numpy'
    assert isinstance(xp.random, NumpyRandom) and xp.random.device is device
    assert xp.testing is numpy.testing
    assert xp.asfortranarray is jnp.asarray and xp.ascontiguousarray is jnp.asarray
    assert polychain.Variable(device.send(numpy.ones(1))).xp is xp


@pytest.fixture
def random(device):
    """NumPy's random functions drawing on ``device`` (the generic implementation on every one)."""
    return NumpyRandom(device)


def _host(array):
    return numpy.asarray(to_host(array))


def test_float_draws_have_numpys_shapes_dtypes_and_ranges(random, device):
    draws = {
        'rand': random.rand(3, 4),
        'randn': random.randn(3, 4),
        'random_sample': random.random_sample((3, 4)),
        'random': random.random((3, 4)),
        'standard_normal': random.standard_normal((3, 4)),
        'uniform': random.uniform(-2, -1, (3, 4)),
        'normal': random.normal(5.0, 0.1, (3, 4)),
    }
    for name, draw in draws.items():
        assert random.device.is_array_supported(draw), name
        assert draw.shape == (3, 4) and _host(draw).dtype == numpy.float64, name
    assert ((_host(draws['uniform']) >= -2) & (_host(draws['uniform']) < -1)).all()
    assert ((_host(draws['rand']) >= 0) & (_host(draws['rand']) < 1)).all()
    assert abs(_host(draws['normal']).mean() - 5.0) < 0.2


def test_size_none_draws_one_value(random):
    assert random.uniform().shape == () and random.randn().shape == ()
    assert random.randint(3).shape == ()


def test_array_bounds_broadcast(random):
    low = numpy.array([0.0, 10.0, 20.0])
    draw = _host(random.uniform(low, low + 1))
    assert draw.shape == (3,) and ((draw >= low) & (draw < low + 1)).all()
    draw = _host(random.normal(numpy.zeros((2, 1)), numpy.ones(3)))
    assert draw.shape == (2, 3)


def test_randint_draws_in_range_and_checks_it(random):
    draw = _host(random.randint(2, 5, size=(1000,)))
    assert draw.dtype == numpy.int64 and set(draw.tolist()) == {2, 3, 4}
    assert set(_host(random.randint(2, size=100)).tolist()) == {0, 1}
    with pytest.raises(ValueError, match='randint: expected low < high'):
        random.randint(3, 3)


def test_seed_repeats_the_stream(random):
    random.seed(7)
    first = _host(random.rand(5))
    random.seed(7)
    numpy.testing.assert_array_equal(_host(random.rand(5)), first)
    assert not numpy.array_equal(_host(random.rand(5)), first)


def test_permutation_of_an_int_and_of_an_array(random):
    assert sorted(_host(random.permutation(10)).tolist()) == list(range(10))
    rows = numpy.arange(12).reshape(6, 2)
    shuffled = _host(random.permutation(rows))
    assert shuffled.shape == (6, 2)
    assert sorted(map(tuple, shuffled.tolist())) == sorted(map(tuple, rows.tolist()))


def test_choice_with_replacement_follows_p(random):
    draw = _host(random.choice(4, 20000, p=[0.1, 0.2, 0.3, 0.4]))
    numpy.testing.assert_allclose(numpy.bincount(draw, minlength=4) / 20000,
                                  [0.1, 0.2, 0.3, 0.4], atol=0.02)
    values = _host(random.choice(numpy.array([5, 7]), size=(3, 2)))
    assert values.shape == (3, 2) and set(values.ravel().tolist()) <= {5, 7}


@pytest.mark.parametrize('p', [None, [0.05, 0.05, 0.1, 0.2, 0.6]])
def test_choice_without_replacement_draws_distinct_elements(random, p):
    draw = _host(random.choice(5, 5, replace=False, p=p))
    assert sorted(draw.tolist()) == [0, 1, 2, 3, 4]


def test_choice_without_replacement_prefers_likely_elements(random):
    firsts = [int(_host(random.choice(3, 1, replace=False, p=[0.8, 0.1, 0.1]))[0])
              for _ in range(200)]
    assert firsts.count(0) > 120


@pytest.mark.parametrize('args, message', [
    ((0,), 'positive'),
    ((numpy.ones((2, 2)),), '1-d'),
    ((3, 4, False), 'without replacement'),
    ((3, 2, True, [0.5, 0.5]), r'p of shape \(3,\)'),
])
def test_choice_errors(random, args, message):
    with pytest.raises(ValueError, match=message):
        random.choice(*args)


def test_generators_take_numpy_integers_for_seeds_shapes_and_bounds(device):
    device.seed(numpy.int64(3))
    first = _host(device.random.uniform(numpy.int64(3), numpy.float32))
    device.seed(numpy.int64(3))
    numpy.testing.assert_array_equal(_host(device.random.uniform((numpy.int32(3),), 'f')), first)
    assert device.random.normal((numpy.int64(2), 2), numpy.float32).shape == (2, 2)
    draw = device.random.integers(numpy.int64(0), numpy.int64(4), (numpy.int32(5),))
    assert draw.shape == (5,) and set(_host(draw).tolist()) <= {0, 1, 2, 3}
