"""Initializers: Chainer's defaults and distributions; seeded draws are the same on every device."""

import numpy
import pytest

import polychain
from polychain import initializers
from polychain.backend import to_host

ALL = [
    initializers.Identity(), initializers.Constant(0.5), initializers.Zero(),
    initializers.One(), initializers.Normal(), initializers.Uniform(),
    initializers.LeCunNormal(), initializers.LeCunUniform(), initializers.GlorotNormal(),
    initializers.GlorotUniform(), initializers.HeNormal(), initializers.HeUniform(),
    initializers.HeNormal(fan_option='fan_out'), initializers.Orthogonal(),
]


@pytest.mark.parametrize('init', ALL, ids=lambda i: type(i).__name__)
def test_same_seed_gives_bit_identical_arrays_on_every_device(init, device):
    numpy.random.seed(0)
    expected = initializers.generate_array(init, (4, 4), dtype='float32')
    numpy.random.seed(0)
    on_device = initializers.generate_array(init, (4, 4), dtype='float32', device=device)
    assert numpy.array_equal(to_host(on_device), to_host(expected))
    assert to_host(on_device).dtype == numpy.float32


def _draw(init, shape, seed=0):
    numpy.random.seed(seed)
    array = numpy.empty(shape)
    init(array)
    return array


@pytest.mark.parametrize(('init', 'std'), [
    (initializers.Normal(), 0.05),
    (initializers.Normal(scale=2.0), 2.0),
    (initializers.LeCunNormal(), numpy.sqrt(1 / 200)),
    (initializers.GlorotNormal(), numpy.sqrt(2 / (200 + 300))),
    (initializers.GlorotNormal(scale=3.0), 3.0 * numpy.sqrt(2 / (200 + 300))),
    (initializers.HeNormal(), numpy.sqrt(2 / 200)),
    (initializers.HeNormal(fan_option='fan_out'), numpy.sqrt(2 / 300)),
], ids=['Normal', 'Normal_scale', 'LeCunNormal', 'GlorotNormal', 'GlorotNormal_scale',
        'HeNormal', 'HeNormal_fan_out'])
def test_normal_initializers_have_chainers_deviation(init, std):
    values = _draw(init, (300, 200))
    assert abs(values.mean()) < 0.02 * std * 10
    assert values.std() == pytest.approx(std, rel=0.02)


@pytest.mark.parametrize(('init', 'bound'), [
    (initializers.Uniform(), 0.05),
    (initializers.Uniform(scale=0.5), 0.5),
    (initializers.LeCunUniform(), numpy.sqrt(3 / 200)),
    (initializers.GlorotUniform(), numpy.sqrt(6 / (200 + 300))),
    (initializers.HeUniform(), numpy.sqrt(6 / 200)),
    (initializers.HeUniform(fan_option='fan_out'), numpy.sqrt(6 / 300)),
], ids=['Uniform', 'Uniform_scale', 'LeCunUniform', 'GlorotUniform', 'HeUniform',
        'HeUniform_fan_out'])
def test_uniform_initializers_have_chainers_bounds(init, bound):
    values = _draw(init, (300, 200))
    assert values.min() >= -bound and values.max() <= bound
    assert values.max() > 0.99 * bound and values.min() < -0.99 * bound


def test_fans_include_the_kernel():
    values = _draw(initializers.HeNormal(), (64, 32, 3, 3))
    assert values.std() == pytest.approx(numpy.sqrt(2 / (32 * 9)), rel=0.03)


def test_identity():
    numpy.testing.assert_array_equal(_draw(initializers.Identity(scale=2.0), (3, 3)),
                                     2.0 * numpy.eye(3))
    with pytest.raises(ValueError, match=r'Identity: expected a square 2-d array, received '
                                         r'shape \(2, 3\)'):
        _draw(initializers.Identity(), (2, 3))


@pytest.mark.parametrize('shape', [(3, 5), (5, 3), (4, 4), (2, 3, 2)])
def test_orthogonal_gives_orthonormal_rows_or_columns(shape):
    values = _draw(initializers.Orthogonal(), shape).reshape(shape[0], -1)
    small = min(values.shape)
    gram = values @ values.T if values.shape[0] == small else values.T @ values
    numpy.testing.assert_allclose(gram, 1.1 ** 2 * numpy.eye(small), atol=1e-12)


@pytest.mark.parametrize(('mode', 'shape'), [('projection', (5, 3)), ('embedding', (3, 5)),
                                             ('basis', (3, 4))])
def test_orthogonal_mode_rejects_other_shapes(mode, shape):
    with pytest.raises(ValueError, match=f"Orthogonal: mode '{mode}' cannot make"):
        _draw(initializers.Orthogonal(mode=mode), shape)


def test_bad_options_are_errors():
    with pytest.raises(ValueError, match="Orthogonal: expected mode among"):
        initializers.Orthogonal(mode='square')
    with pytest.raises(ValueError, match="HeNormal: expected fan_option 'fan_in' or 'fan_out', "
                                         "received 'fan_avg'"):
        _draw(initializers.HeNormal(fan_option='fan_avg'), (3, 3))
    with pytest.raises(ValueError, match='fans: expected a shape with at least 2 axes'):
        _draw(initializers.GlorotUniform(), (3,))


def test_defaults_are_chainers():
    assert initializers.Uniform().scale == 0.05 and initializers.Normal().scale == 0.05
    assert initializers.Orthogonal().scale == 1.1 and initializers.Orthogonal().mode == 'auto'
    for cls in (initializers.Identity, initializers.LeCunUniform, initializers.GlorotNormal,
                initializers.GlorotUniform, initializers.HeNormal, initializers.HeUniform):
        assert cls().scale == 1.0 and cls().dtype is None
    assert initializers.HeNormal().fan_option == 'fan_in'
    assert initializers.HeNormal(dtype='float64').dtype == numpy.float64


@pytest.mark.parametrize('cls', [initializers.Normal, initializers.Uniform,
                                 initializers.LeCunNormal, initializers.GlorotUniform,
                                 initializers.HeNormal, initializers.Orthogonal])
def test_rng_argument_replaces_the_global_random_state(cls):
    first = numpy.empty((3, 4))
    second = numpy.empty((3, 4))
    cls(rng=numpy.random.RandomState(7))(first)
    numpy.random.seed(1)
    cls(rng=numpy.random.RandomState(7))(second)
    numpy.testing.assert_array_equal(first, second)


@pytest.mark.parametrize('shape', [(4, 4, 3, 3), (4, 1, 4, 4)])
def test_sampling_filters_interpolate_linearly(shape):
    up = numpy.empty(shape, dtype=numpy.float32)
    initializers.UpsamplingDeconvFilter()(up)
    assert up.sum() == pytest.approx(shape[0] * ((shape[2] + 1) // 2) ** 2)
    numpy.testing.assert_allclose(up[0, 0], up[0, 0].T)
    down = numpy.empty(shape, dtype=numpy.float32)
    initializers.DownsamplingConvFilter()(down)
    assert down.sum() == pytest.approx(shape[0])
    with pytest.raises(ValueError):
        initializers.UpsamplingDeconvFilter()(numpy.empty((4, 3, 3, 3)))


def test_generate_array_follows_xp_and_checks_dtypes(device):
    array = initializers.generate_array(initializers.One(), (2,), device.xp, device=device)
    assert polychain.get_device_from_array(array) is device
    with pytest.raises(ValueError):
        initializers.generate_array(initializers.One('float64'), (2,), dtype='float32')
    with polychain.using_config('dtype', 'float16'):
        assert initializers.generate_array(initializers.Zero(), (1,)).dtype == numpy.float16


def test_initializer_call_checks_dtype_and_constant_takes_arrays():
    with pytest.raises(ValueError, match='float64'):
        initializers.Zero('float64')(numpy.empty(2, dtype=numpy.float32))
    target = numpy.empty((2, 3), dtype=numpy.int32)
    initializers.Constant(numpy.array([1, 2, 3]))(target)
    numpy.testing.assert_array_equal(target, [[1, 2, 3], [1, 2, 3]])


@pytest.mark.parametrize('shape', [(), (2,), [2, 3]])
def test_get_fans_needs_a_tuple_of_two_axes(shape):
    with pytest.raises(ValueError):
        polychain.initializer.get_fans(shape)
    assert polychain.initializer.get_fans((2, 3, 4)) == (12, 8)
