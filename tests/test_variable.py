"""Variable: the array, its gradient, its place in the graph and its Python protocol."""

import operator

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host


def _variable(device, host, **kwargs):
    return polychain.Variable(device.send(host), **kwargs)


def _arange(shape, dtype):
    return numpy.arange(int(numpy.prod(shape)), dtype=dtype).reshape(shape)


# -- the array ------------------------------------------------------------------------------


def test_array_and_data_are_the_same_array(device, dtype):
    array = device.send(_arange((2, 3), dtype))
    x = polychain.Variable(array)
    assert x.array is array
    assert x.data is array

    replacement = device.send(numpy.zeros((4,), dtype=dtype))
    x.data = replacement
    assert x.array is replacement
    assert x.shape == (4,)


def test_shape_properties(device, dtype):
    x = _variable(device, _arange((2, 3, 4), dtype))
    assert x.shape == (2, 3, 4)
    assert x.ndim == 3
    assert x.size == 24
    assert len(x) == 2
    assert x.dtype == getattr(device.xp, dtype.name)


def test_zero_dimensional_variable(device, dtype):
    x = _variable(device, numpy.array(2.5, dtype=dtype))
    assert x.shape == ()
    assert x.ndim == 0
    assert x.size == 1
    with pytest.raises(TypeError, match='0-dimensional'):
        len(x)


def test_item_returns_a_python_scalar(device, dtype):
    x = _variable(device, numpy.array([[2.5]], dtype=dtype))
    value = x.item()
    assert isinstance(value, float)
    assert value == 2.5


def test_item_of_several_elements_raises(device):
    with pytest.raises(ValueError, match=r'\(2,\)'):
        _variable(device, numpy.ones(2, dtype='f')).item()


def test_uninitialised_variable():
    x = polychain.Variable()
    assert x.array is None
    assert x.device is None
    assert x.grad is None
    assert repr(x) == 'variable(None)'


@pytest.mark.parametrize('data', [[1.0, 2.0], 3.0, 'abc', (1, 2)])
def test_non_array_data_raises_type_error(data):
    with pytest.raises(TypeError, match='Variable'):
        polychain.Variable(data)


def test_variable_as_data_raises_type_error(device):
    x = _variable(device, numpy.ones(2, dtype='f'))
    with pytest.raises(TypeError, match='Variable'):
        polychain.Variable(x)


def test_name(device):
    x = _variable(device, numpy.ones(2, dtype='f'), name='x')
    assert x.name == 'x'
    x.name = 'renamed'
    assert x.name == 'renamed'
    assert polychain.Variable(device.send(numpy.ones(2, dtype='f'))).name is None


# -- repr ----------------------------------------------------------------------------------


def test_repr(device):
    x = _variable(device, numpy.array([1.0, 2.0, 3.0], dtype='f'))
    assert repr(x) == 'variable([1., 2., 3.])'


def test_repr_with_a_name(device):
    x = _variable(device, numpy.array([1.0, 2.0], dtype='f'), name='x')
    assert repr(x) == 'variable x([1., 2.])'


def test_repr_aligns_rows_after_the_prefix(device):
    x = _variable(device, numpy.array([[1.0, 2.0], [3.0, 4.0]], dtype='f'), name='w')
    assert repr(x) == 'variable w([[1., 2.],\n            [3., 4.]])'


def test_str_shows_the_values(device):
    x = _variable(device, numpy.array([1.0, 2.0], dtype='f'))
    assert str(x) == 'variable([1. 2.])'


# -- comparisons --------------------------------------------------------------------------


@pytest.mark.parametrize('compare', [operator.eq, operator.ne, operator.lt, operator.le,
                                     operator.gt, operator.ge])
def test_comparisons_raise_type_error(compare, device):
    x = _variable(device, numpy.ones(2, dtype='f'))
    y = _variable(device, numpy.ones(2, dtype='f'))
    with pytest.raises(TypeError):
        compare(x, y)


def test_truth_value_raises_type_error(device):
    with pytest.raises(TypeError):
        bool(_variable(device, numpy.ones(1, dtype='f')))


def test_variables_are_not_hashable(device):
    with pytest.raises(TypeError, match='unhashable'):
        hash(_variable(device, numpy.ones(2, dtype='f')))


# -- Chainer's helpers: as_variable, as_array, addgrad, copydata, label, creator ---------------


def test_as_variable_and_as_array(device):
    a = device.send(numpy.ones(2, dtype='f'))
    v = polychain.as_variable(a)
    assert isinstance(v, polychain.Variable) and not v.requires_grad
    assert polychain.as_variable(v) is v
    assert polychain.as_array(v) is a
    assert polychain.as_array(a) is a


@pytest.mark.parametrize('src_grad, dst_grad, expected', [
    (10.0, 20.0, 30.0), (None, 20.0, 20.0), (10.0, None, 10.0), (None, None, None)])
def test_addgrad(src_grad, dst_grad, expected, device):
    src = _variable(device, numpy.zeros(3, dtype='f'))
    dst = _variable(device, numpy.zeros(3, dtype='f'))
    if src_grad is not None:
        src.grad = device.send(numpy.full(3, src_grad, dtype='f'))
    if dst_grad is not None:
        dst.grad = device.send(numpy.full(3, dst_grad, dtype='f'))
    dst.addgrad(src)
    if expected is None:
        assert dst.grad is None
    else:
        numpy.testing.assert_array_equal(to_host(dst.grad), numpy.full(3, expected))


def test_copydata_copies_across_devices(device):
    src = polychain.Variable(numpy.arange(3, dtype='f'))
    dst = _variable(device, numpy.zeros(3, dtype='f'))
    dst.copydata(src)
    assert dst.device is device
    numpy.testing.assert_array_equal(to_host(dst.array), [0.0, 1.0, 2.0])


def test_copydata_initializes_an_uninitialized_parameter(device):
    src = polychain.Parameter(numpy.arange(3, dtype='f'))
    dst = polychain.Parameter()
    dst.to_device(device)
    dst.copydata(src)
    assert dst.device is device
    numpy.testing.assert_array_equal(to_host(dst.array), [0.0, 1.0, 2.0])


@pytest.mark.parametrize('shape, label', [((2, 5), '(2, 5), float32'), ((1,), '(1), float32'),
                                          ((), 'float32')])
def test_label(shape, label, device):
    assert _variable(device, numpy.zeros(shape, dtype='f')).label == label


def test_unchain_keeps_the_rank(device):
    x = _variable(device, numpy.ones(2, dtype='f'))
    y = x * 2.0 * 3.0
    rank = y.rank
    y.unchain()
    assert y.creator is None and y.rank == rank


def test_setting_a_creator_sets_the_rank(device):
    v = polychain.Variable()
    f = polychain.FunctionNode()
    v.creator_node = f
    assert v.creator is f and v.rank == 1
    old_style = polychain.Function()
    v.creator = old_style
    assert v.creator is old_style and v.creator_node is old_style.node


def test_zerograd_is_deprecated(device):
    x = _variable(device, numpy.ones(2, dtype='f'))
    with pytest.warns(DeprecationWarning):
        x.zerograd()
    numpy.testing.assert_array_equal(to_host(x.grad), [0.0, 0.0])


def test_pickle_keeps_the_gradient(device):
    import pickle
    x = _variable(device, numpy.ones(2, dtype='f'))
    x.grad = device.send(numpy.full(2, 3.0, dtype='f'))
    y = pickle.loads(pickle.dumps(x))
    numpy.testing.assert_array_equal(to_host(y.grad), [3.0, 3.0])


# -- shape helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize('args', [((3, 2),), (3, 2), ([3, 2],)], ids=['tuple', 'ints', 'list'])
def test_reshape_call_forms(args, device, dtype):
    host = _arange((2, 3), dtype)
    y = _variable(device, host).reshape(*args)
    assert isinstance(y, polychain.Variable)
    numpy.testing.assert_array_equal(to_host(y.array), host.reshape(3, 2))


def test_reshape_is_differentiable(device, dtype):
    x = _variable(device, _arange((2, 3), dtype))
    y = x.reshape(6)
    y.grad = device.send(numpy.arange(6, dtype=dtype))
    y.backward()
    numpy.testing.assert_array_equal(to_host(x.grad), _arange((2, 3), dtype))


@pytest.mark.parametrize('args, axes', [
    ((), (2, 1, 0)), ((None,), (2, 1, 0)), (((1, 0, 2),), (1, 0, 2)), ((2, 0, 1), (2, 0, 1))])
def test_transpose_call_forms(args, axes, device, dtype):
    host = _arange((2, 3, 4), dtype)
    y = _variable(device, host).transpose(*args)
    numpy.testing.assert_array_equal(to_host(y.array), host.transpose(axes))


def test_T_reverses_the_axes(device, dtype):
    host = _arange((2, 3), dtype)
    x = _variable(device, host)
    y = x.T
    numpy.testing.assert_array_equal(to_host(y.array), host.T)
    y.grad = device.send(numpy.ones((3, 2), dtype=dtype))
    y.backward()
    assert x.grad.shape == (2, 3)


def test_getitem(device, dtype):
    host = _arange((3, 4), dtype)
    x = _variable(device, host)
    y = x[1:, ::2]
    numpy.testing.assert_array_equal(to_host(y.array), host[1:, ::2])
    y.grad = device.send(numpy.ones((2, 2), dtype=dtype))
    y.backward()
    expected = numpy.zeros((3, 4), dtype=dtype)
    expected[1:, ::2] = 1
    numpy.testing.assert_array_equal(to_host(x.grad), expected)


# -- gradients ------------------------------------------------------------------------------


def test_grad_setter_accepts_a_matching_array(device, dtype):
    x = _variable(device, numpy.ones((2, 3), dtype=dtype))
    g = device.send(numpy.full((2, 3), 2.0, dtype=dtype))
    x.grad = g
    assert x.grad is g
    assert isinstance(x.grad_var, polychain.Variable)
    assert x.grad_var.array is g


def test_grad_given_to_the_constructor(device, dtype):
    g = device.send(numpy.full((2,), 3.0, dtype=dtype))
    x = polychain.Variable(device.send(numpy.ones(2, dtype=dtype)), grad=g)
    assert x.grad is g


def test_grad_setter_rejects_another_shape(device, dtype):
    x = _variable(device, numpy.ones((2, 3), dtype=dtype))
    with pytest.raises(ValueError) as info:
        x.grad = device.send(numpy.ones((3, 2), dtype=dtype))
    message = str(info.value)
    assert 'grad' in message
    assert '(2, 3)' in message
    assert '(3, 2)' in message


def test_grad_setter_rejects_another_dtype(device):
    x = _variable(device, numpy.ones((2, 3), dtype='float32'))
    with pytest.raises(TypeError) as info:
        x.grad = device.send(numpy.ones((2, 3), dtype='float64'))
    message = str(info.value)
    assert 'float32' in message
    assert 'float64' in message


def test_grad_var_setter_validates_too(device, dtype):
    x = _variable(device, numpy.ones((2, 3), dtype=dtype))
    with pytest.raises(ValueError, match=r'\(4,\)'):
        x.grad_var = polychain.Variable(device.send(numpy.ones(4, dtype=dtype)))
    gv = polychain.Variable(device.send(numpy.zeros((2, 3), dtype=dtype)))
    x.grad_var = gv
    assert x.grad_var is gv
    assert x.grad is gv.array


def test_grad_none_clears(device, dtype):
    x = _variable(device, numpy.ones(2, dtype=dtype), grad=device.send(numpy.ones(2, dtype=dtype)))
    x.grad = None
    assert x.grad is None
    assert x.grad_var is None


def test_cleargrad(device, dtype):
    x = _variable(device, numpy.ones(3, dtype=dtype))
    F.sum(x * x).backward()
    assert x.grad is not None
    x.cleargrad()
    assert x.grad is None
    assert x.grad_var is None


def test_zerograd(device, dtype):
    x = _variable(device, numpy.ones((2, 3), dtype=dtype))
    with pytest.deprecated_call(match='Variable.zerograd is deprecated'):
        x.zerograd()
    grad = to_host(x.grad)
    assert grad.dtype == dtype
    numpy.testing.assert_array_equal(grad, numpy.zeros((2, 3), dtype=dtype))
    F.sum(x * 2.0).backward()
    numpy.testing.assert_array_equal(to_host(x.grad), numpy.full((2, 3), 2.0, dtype=dtype))


def test_requires_grad(device, dtype):
    assert _variable(device, numpy.ones(2, dtype=dtype)).requires_grad
    assert not _variable(device, numpy.ones(2, dtype=dtype), requires_grad=False).requires_grad


# -- the graph ------------------------------------------------------------------------------


def test_creator_of_a_leaf_is_none(device):
    x = _variable(device, numpy.ones(2, dtype='f'))
    assert x.creator is None
    assert x.creator_node is None


def test_creator_is_the_function_node(device):
    x = _variable(device, numpy.ones(2, dtype='f'))
    y = F.exp(x)
    assert isinstance(y.creator, polychain.FunctionNode)
    assert y.creator is y.creator_node
    assert type(y.creator).__name__ == 'Exp'


def test_unchain_makes_a_leaf(device, dtype):
    x = _variable(device, numpy.ones(2, dtype=dtype))
    h = x * 2.0
    y = h * 3.0
    h.unchain()
    assert h.creator is None
    assert y.creator is not None
    F.sum(y).backward()
    assert x.grad is None
    numpy.testing.assert_array_equal(to_host(h.grad), numpy.full(2, 3.0, dtype=dtype))


def test_unchain_backward_cuts_the_whole_history(device, dtype):
    x = _variable(device, numpy.ones(2, dtype=dtype))
    h = x * 2.0
    y = h + 1.0
    z = F.sum(y)
    y.unchain_backward()
    assert y.creator is None
    assert h.creator is None
    assert z.creator is not None
    z.backward()
    assert x.grad is None
    assert h.grad is None
    numpy.testing.assert_array_equal(to_host(y.grad), numpy.ones(2, dtype=dtype))


# -- devices ---------------------------------------------------------------------------------


def test_device(device, dtype):
    x = _variable(device, numpy.ones(2, dtype=dtype))
    assert x.device == device
    assert str(x.device) == str(device)


def test_to_device_moves_the_array_and_the_gradient(device, dtype):
    host = _arange((2, 3), dtype)
    x = polychain.Variable(host, grad=numpy.ones((2, 3), dtype=dtype))

    assert x.to_device(device) is x
    assert x.device == device
    assert polychain.get_device_from_array(x.array) == device
    assert polychain.get_device_from_array(x.grad) == device
    numpy.testing.assert_array_equal(to_host(x.array), host)

    x.to_device('@numpy')
    assert x.device == polychain.get_device('@numpy')
    assert isinstance(x.array, numpy.ndarray)
    assert isinstance(x.grad, numpy.ndarray)
    numpy.testing.assert_array_equal(x.array, host)
    numpy.testing.assert_array_equal(x.grad, numpy.ones((2, 3), dtype=dtype))


def test_to_device_accepts_a_device_object(device):
    x = polychain.Variable(numpy.ones(2, dtype='f'))
    x.to_device(device)
    assert x.device == device


def test_to_cpu_moves_to_numpy(device):
    x = _variable(device, numpy.ones(2, dtype='f'))
    x.to_cpu()
    assert str(x.device) == '@numpy'
    assert isinstance(x.array, numpy.ndarray)


def test_xp_is_the_namespace_of_the_device(device):
    assert _variable(device, numpy.ones(2, dtype='f')).xp is device.xp


def test_str_lines_up_continuation_lines_after_the_prefix(device):
    x = _variable(device, numpy.arange(4, dtype='f').reshape(2, 2))
    assert str(x) == 'variable([[0. 1.]\n          [2. 3.]])'
    x.name = 'x'
    assert str(x) == 'variable x([[0. 1.]\n            [2. 3.]])'


def test_debug_print_lists_the_fields_after_the_summary(device):
    x = _variable(device, numpy.ones((2, 3), dtype='f'), name='x')
    lines = x.debug_print().splitlines()
    assert lines[0] == x.summary() == '<variable x>'
    assert lines[3] == '- shape: (2, 3)'
    assert '- grad: None' in lines
    x.grad = device.send(numpy.zeros((2, 3), dtype='f'))
    assert '- grad: 0' in x.debug_print()
    empty = polychain.Variable().debug_print()
    assert '- shape: None' in empty and '- statistics: None' in empty


def test_chainer_module_names_of_the_graph_core():
    import polychain.function
    import polychain.function_node
    import polychain.gradient_check
    import polychain.variable
    assert polychain.variable.Parameter is polychain.Parameter
    assert polychain.function_node.grad is polychain.grad
    assert polychain.function.no_backprop_mode is polychain.no_backprop_mode
    assert callable(polychain.gradient_check.assert_allclose)
    x = polychain.Variable(numpy.zeros(2, dtype='f'))
    assert polychain.variable.variable_repr(x) == repr(x) == 'variable([0., 0.])'
    assert polychain.variable.variable_str(x) == str(x) == 'variable([0. 0.])'


def test_the_node_of_a_users_variable_reads_its_array(device):
    x = _variable(device, numpy.ones((3, 2), dtype='f'))
    x.array = device.send(numpy.ones((2, 4), dtype='float64'))
    assert x.node.shape == (2, 4)
    assert x.node.dtype == x.dtype
    assert x.node.data is x.array
    y = x * 2.0
    assert y.node.data is None  # outputs of functions do not track their Variable
