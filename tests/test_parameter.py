"""Parameter: initializer forms, lazy initialisation, dtypes, devices and reproducibility."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import initializers
from polychain.backend import to_host


def _host(param):
    return to_host(param.array)


def _host_grad(param):
    return numpy.asarray(to_host(param.grad))


def test_array_initializer_is_the_data(device, dtype):
    array = device.send(numpy.arange(6, dtype=dtype).reshape(2, 3))
    param = polychain.Parameter(array, name='w')
    assert param.array is array
    assert param.is_initialized
    assert param.shape == (2, 3)
    assert param.device == device
    assert param.name == 'w'
    assert param.grad is None


def test_scalar_initializer_fills_the_shape():
    param = polychain.Parameter(2.5, (2, 3))
    numpy.testing.assert_array_equal(_host(param), numpy.full((2, 3), 2.5, dtype='float32'))
    assert _host(param).dtype == numpy.float32


def test_initializer_object_with_a_dtype():
    param = polychain.Parameter(initializers.Constant(-1.0, dtype='float64'), (4,))
    host = _host(param)
    assert host.dtype == numpy.float64
    numpy.testing.assert_array_equal(host, numpy.full(4, -1.0))


def test_callable_initializer():
    def fill_with_index(array):
        array[...] = numpy.arange(array.size).reshape(array.shape)

    param = polychain.Parameter(fill_with_index, (2, 2))
    numpy.testing.assert_array_equal(_host(param), [[0.0, 1.0], [2.0, 3.0]])


def test_none_initializer_gives_nan():
    param = polychain.Parameter(None, (2, 3))
    host = _host(param)
    assert host.shape == (2, 3)
    assert numpy.isnan(host).all()


def test_uninitialised_parameter():
    param = polychain.Parameter()
    assert not param.is_initialized
    assert param.array is None
    with pytest.raises(RuntimeError, match='cleargrad'):
        param.grad  # noqa: B018 (as in Chainer: not known until cleargrad or initialize)
    param.cleargrad()
    assert param.grad is None


@pytest.mark.parametrize('shape, expected', [((3, 4), (3, 4)), (5, (5,)), ([2, 1], (2, 1))])
def test_lazy_initialisation(shape, expected):
    param = polychain.Parameter(initializers.Constant(0.5))
    assert not param.is_initialized
    param.initialize(shape)
    assert param.is_initialized
    assert param.shape == expected
    numpy.testing.assert_array_equal(_host(param), numpy.full(expected, 0.5, dtype='float32'))


def test_initialize_fills_the_gradient_with_nan():
    """As in Chainer: a backward pass without cleargrads() first shows up as NaN."""
    param = polychain.Parameter(initializers.Constant(0.5))
    param.initialize((2,))
    grad = _host_grad(param)
    assert grad.dtype == numpy.float32 and numpy.isnan(grad).all()
    assert numpy.isnan(_host_grad(polychain.Parameter(0.5, (3,)))).all()


def test_a_parameter_made_from_an_array_has_no_gradient():
    assert polychain.Parameter(numpy.zeros(3, 'f')).grad is None


def test_cleargrad_or_zerograd_before_initialisation_decide_the_gradient_it_gets():
    cleared = polychain.Parameter(initializers.Constant(0.5))
    cleared.cleargrad()
    cleared.initialize((2,))
    assert cleared.grad is None
    zeroed = polychain.Parameter(initializers.Constant(0.5, dtype='float64'))
    with pytest.warns(DeprecationWarning):
        zeroed.zerograd()
    zeroed.initialize((2,))
    numpy.testing.assert_array_equal(_host_grad(zeroed), numpy.zeros(2))
    assert _host_grad(zeroed).dtype == numpy.float64


def test_backward_without_cleargrads_shows_nan_and_with_it_the_gradient():
    link = polychain.links.Linear(2, 1)
    x = numpy.ones((1, 2), 'f')
    polychain.functions.sum(link(x)).backward()
    assert numpy.isnan(_host_grad(link.W)).all()
    link.cleargrads()
    polychain.functions.sum(link(x)).backward()
    numpy.testing.assert_array_equal(_host_grad(link.W), numpy.ones((1, 2), 'f'))


@pytest.mark.parametrize('initializer, expected', [
    (initializers.Normal(dtype='float64'), numpy.float64),
    (initializers.Normal(dtype='float32'), numpy.float32),
    (initializers.Normal(), numpy.float32),
])
def test_dtype_before_initialisation(initializer, expected):
    param = polychain.Parameter(initializer)
    assert param.dtype == expected
    param.initialize((2, 2))
    assert _host(param).dtype == expected


def test_to_device_before_initialisation_lands_the_data_there(device):
    param = polychain.Parameter(initializers.Constant(3.0))
    assert param.to_device(device) is param
    assert param.device == device
    param.initialize((2, 3))
    assert polychain.get_device_from_array(param.array) == device
    assert param.device == device
    numpy.testing.assert_array_equal(_host(param), numpy.full((2, 3), 3.0, dtype='float32'))


def test_to_device_after_initialisation_moves_the_data(device):
    param = polychain.Parameter(initializers.Constant(3.0), (2,))
    param.to_device(device)
    assert polychain.get_device_from_array(param.array) == device
    param.to_device('@numpy')
    assert isinstance(param.array, numpy.ndarray)


def test_same_numpy_seed_gives_identical_values_on_every_device(device):
    numpy.random.seed(7)
    on_numpy = polychain.Parameter(initializers.Normal(), (3, 4))
    numpy.random.seed(7)
    on_device = polychain.Parameter(initializers.Normal())
    on_device.to_device(device)
    on_device.initialize((3, 4))

    numpy.testing.assert_array_equal(_host(on_device), _host(on_numpy))
    numpy.random.seed(8)
    other_seed = polychain.Parameter(initializers.Normal(), (3, 4))
    assert not numpy.array_equal(_host(other_seed), _host(on_numpy))


def test_parameter_is_a_variable_that_receives_gradients(device, dtype):
    param = polychain.Parameter(device.send(numpy.asarray([1.0, 2.0], dtype=dtype)))
    x = polychain.Variable(device.send(numpy.asarray([3.0, 4.0], dtype=dtype)))
    assert isinstance(param, polychain.Variable)
    F.sum(param * x).backward()
    numpy.testing.assert_array_equal(to_host(param.grad), numpy.asarray([3.0, 4.0], dtype=dtype))


def test_uninitialized_dtype_is_the_initializers_as_a_numpy_dtype_or_config_dtype():
    class HalfInitializer:
        dtype = 'float16'

        def __call__(self, array):
            array[...] = 0

    assert polychain.Parameter(HalfInitializer()).dtype == numpy.float16
    with polychain.using_config('dtype', numpy.float64):
        assert polychain.Parameter(initializers.Normal()).dtype == numpy.float64
    with pytest.raises(RuntimeError, match='dtype'):
        polychain.Parameter(lambda array: None).dtype  # noqa: B018 (as in Chainer)


def test_numpy_integer_size_gives_a_vector():
    """Chainer's examples size layers with numpy integers (``max(words) + 1``)."""
    param = polychain.Parameter(0, numpy.int32(3))
    assert param.shape == (3,) and type(param.shape[0]) is int
