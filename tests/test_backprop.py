"""Variable.backward and polychain.grad: Chainer's rules for starting, accumulating and
freeing gradients."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host


def _variable(device, values, dtype, **kwargs):
    return polychain.Variable(device.send(numpy.asarray(values, dtype=dtype)), **kwargs)


def _assert_values(array, expected, dtype):
    host = to_host(array)
    assert host.dtype == dtype
    numpy.testing.assert_allclose(host, numpy.asarray(expected, dtype=dtype), rtol=1e-6)


def _write_in_place(array, value, device):
    try:
        array[...] = value
    except TypeError as error:
        pytest.skip(f'arrays of {device} are immutable: {error}')


# -- Variable.backward ------------------------------------------------------------------------


def test_one_element_output_starts_from_one(device, dtype):
    x = _variable(device, [3.0], dtype)
    y = x * x
    with pytest.deprecated_call(match='one element as a scalar is deprecated'):
        y.backward()
    _assert_values(x.grad, [6.0], dtype)


def test_zero_dimensional_output_starts_from_one(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    F.sum(x * x).backward()
    _assert_values(x.grad, [2.0, 4.0], dtype)


def test_several_elements_without_grad_warn_naming_the_shape(device, dtype):
    x = _variable(device, numpy.ones((2, 3)), dtype)
    y = x * 2.0
    with pytest.warns(RuntimeWarning, match=r'\(2, 3\)'):
        y.backward()
    assert x.grad is None


def test_several_elements_start_from_the_given_grad(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    y = x * x
    y.grad = device.send(numpy.asarray([1.0, 10.0], dtype=dtype))
    y.backward()
    _assert_values(x.grad, [2.0, 40.0], dtype)


def test_gradients_accumulate_until_cleared(device, dtype):
    x = _variable(device, [3.0], dtype)
    (x * x).backward()
    (x * x).backward()
    _assert_values(x.grad, [12.0], dtype)
    x.cleargrad()
    (x * x).backward()
    _assert_values(x.grad, [6.0], dtype)


def test_intermediate_grads_are_freed(device, dtype):
    x = _variable(device, [3.0], dtype)
    h = x * x
    y = h * 2.0
    y.backward()
    assert h.grad is None
    _assert_values(x.grad, [12.0], dtype)


def test_retain_grad_keeps_intermediate_grads(device, dtype):
    x = _variable(device, [3.0], dtype)
    h = x * x
    y = h * 2.0
    y.backward(retain_grad=True)
    _assert_values(h.grad, [2.0], dtype)
    _assert_values(y.grad, [1.0], dtype)
    _assert_values(x.grad, [12.0], dtype)


def test_same_input_twice_accumulates(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    y = x + x
    y.grad = device.send(numpy.ones(2, dtype=dtype))
    y.backward()
    _assert_values(x.grad, [2.0, 2.0], dtype)

    x.cleargrad()
    y = x * x
    y.grad = device.send(numpy.ones(2, dtype=dtype))
    y.backward()
    _assert_values(x.grad, [2.0, 4.0], dtype)


def test_variable_used_along_several_paths(device, dtype):
    x = _variable(device, [2.0], dtype)
    y = x * x * x + x * 3.0
    y.backward()
    _assert_values(x.grad, [15.0], dtype)


def test_leaf_gradients_are_not_aliased(device, dtype):
    a = _variable(device, numpy.ones(3), dtype)
    b = _variable(device, numpy.ones(3), dtype)
    y = a + b
    gy = device.send(numpy.ones(3, dtype=dtype))
    y.grad = gy
    y.backward()

    _write_in_place(a.grad, 7.0, device)

    _assert_values(b.grad, numpy.ones(3), dtype)
    _assert_values(gy, numpy.ones(3), dtype)
    _assert_values(a.grad, numpy.full(3, 7.0), dtype)


def test_backward_uses_up_the_initial_gradient(device, dtype):
    x = _variable(device, [3.0], dtype)
    y = x * x
    y.grad = device.send(numpy.ones(1, dtype=dtype))
    y.backward()
    assert y.grad is None


def test_backward_leaves_earlier_grads_of_intermediates_alone(device, dtype):
    x = _variable(device, [3.0], dtype)
    h = x * x
    y = h * 2.0
    h.grad = device.send(numpy.asarray([-1.0], dtype=dtype))
    y.backward()
    _assert_values(h.grad, [-1.0], dtype)


def test_loss_scale_multiplies_the_initial_gradient(device, dtype):
    x = _variable(device, [3.0], dtype)
    (x * x).backward(loss_scale=10.0)
    _assert_values(x.grad, [60.0], dtype)


def test_backward_on_a_leaf_does_nothing(device, dtype):
    x = _variable(device, [3.0], dtype)
    x.backward()
    assert x.grad is None


def test_inputs_without_requires_grad_get_no_gradient(device, dtype):
    x = _variable(device, [3.0], dtype, requires_grad=False)
    w = _variable(device, [2.0], dtype)
    (x * w).backward()
    assert x.grad is None
    _assert_values(w.grad, [3.0], dtype)


def test_no_backprop_through_inputs_without_requires_grad(device, dtype):
    x = _variable(device, [3.0], dtype, requires_grad=False)
    y = x * x
    y.backward()
    assert x.grad is None


def test_raw_arrays_as_inputs_get_no_gradient(device, dtype):
    w = _variable(device, [2.0], dtype)
    (w * device.send(numpy.asarray([5.0], dtype=dtype))).backward()
    _assert_values(w.grad, [5.0], dtype)


def test_enable_double_backprop_builds_a_graph_of_the_gradient(device, dtype):
    x = _variable(device, [2.0], dtype)
    (x ** 3).backward(enable_double_backprop=True)
    gx = x.grad_var
    _assert_values(gx.array, [12.0], dtype)
    assert gx.creator is not None
    x.cleargrad()
    gx.backward()
    _assert_values(x.grad, [12.0], dtype)


def test_without_double_backprop_the_gradient_has_no_graph(device, dtype):
    x = _variable(device, [2.0], dtype)
    (x ** 3).backward()
    assert x.grad_var.creator is None


# -- polychain.grad -------------------------------------------------------------------------


def test_grad_of_cube_twice_is_six_x(device, dtype):
    x = _variable(device, [1.0, 2.0, 3.0], dtype)
    y = x ** 3
    ones = device.send(numpy.ones(3, dtype=dtype))
    gx, = polychain.grad([y], [x], [ones], enable_double_backprop=True)
    _assert_values(gx.array, [3.0, 12.0, 27.0], dtype)
    ggx, = polychain.grad([gx], [x], [ones])
    _assert_values(ggx.array, [6.0, 12.0, 18.0], dtype)


def test_grad_does_not_touch_grad_attributes(device, dtype):
    x = _variable(device, [2.0], dtype)
    h = x * x
    y = h * 3.0
    gx, = polychain.grad([y], [x])
    _assert_values(gx.array, [12.0], dtype)
    assert x.grad is None
    assert h.grad is None
    assert y.grad is None


def test_grad_keeps_existing_grads(device, dtype):
    x = _variable(device, [2.0], dtype, grad=device.send(numpy.asarray([100.0], dtype=dtype)))
    polychain.grad([x * x], [x])
    _assert_values(x.grad, [100.0], dtype)


def test_grad_with_respect_to_intermediate_variables(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    h = x * x
    y = F.sum(h * 3.0)
    gh, gx = polychain.grad([y], [h, x])
    _assert_values(gh.array, [3.0, 3.0], dtype)
    _assert_values(gx.array, [6.0, 12.0], dtype)


def test_grad_of_an_unrelated_input_is_none(device, dtype):
    x = _variable(device, [1.0], dtype)
    z = _variable(device, [1.0], dtype)
    gx, gz = polychain.grad([x * 2.0], [x, z])
    _assert_values(gx.array, [2.0], dtype)
    assert gz is None


def test_grad_outputs(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    y = x * x
    gy = device.send(numpy.asarray([1.0, 10.0], dtype=dtype))
    gx, = polychain.grad([y], [x], grad_outputs=[gy])
    _assert_values(gx.array, [2.0, 40.0], dtype)


def test_grad_outputs_as_variables(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    gy = _variable(device, [3.0, 3.0], dtype)
    gx, = polychain.grad([x * x], [x], grad_outputs=[gy])
    _assert_values(gx.array, [6.0, 12.0], dtype)


def test_grad_of_several_outputs_adds_up(device, dtype):
    x = _variable(device, [2.0], dtype)
    gx, = polychain.grad([x * x, x * 3.0], [x])
    _assert_values(gx.array, [7.0], dtype)


def test_grad_inputs_are_added(device, dtype):
    x = _variable(device, [2.0], dtype)
    extra = _variable(device, [1.0], dtype)
    gx, = polychain.grad([x * x], [x], grad_inputs=[extra])
    _assert_values(gx.array, [5.0], dtype)


def test_grad_set_grad_stores_the_results(device, dtype):
    x = _variable(device, [2.0], dtype)
    gx, = polychain.grad([x * x], [x], set_grad=True)
    assert x.grad_var is gx
    _assert_values(x.grad, [4.0], dtype)


def test_grad_loss_scale(device, dtype):
    x = _variable(device, [2.0], dtype)
    gx, = polychain.grad([x * x], [x], loss_scale=8.0)
    _assert_values(gx.array, [32.0], dtype)


def test_grad_retain_grad_keeps_intermediate_grads(device, dtype):
    x = _variable(device, [2.0], dtype)
    h = x * x
    polychain.grad([h * 3.0], [x], retain_grad=True)
    _assert_values(h.grad, [3.0], dtype)


def test_grad_outputs_default_to_ones_of_any_shape(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    gx, = polychain.grad([x * x], [x])
    _assert_values(gx.array, [2.0, 4.0], dtype)


def test_grad_inputs_flow_on_to_the_inputs_behind(device, dtype):
    x = _variable(device, [1.0], dtype)
    h = x * 2.0
    extra_x = _variable(device, [1000.0], dtype)
    extra_h = _variable(device, [100.0], dtype)
    gx, gh = polychain.grad([h * 3.0], [x, h], grad_inputs=[extra_x, extra_h])
    _assert_values(gh.array, [103.0], dtype)
    _assert_values(gx.array, [1206.0], dtype)


def test_grad_inputs_do_not_reach_functions_off_the_path(device, dtype):
    x = _variable(device, [1.0], dtype)
    h = x * 2.0
    gx, gh = polychain.grad([x * 3.0], [x, h], grad_inputs=[None, _variable(device, [5.0], dtype)])
    _assert_values(gx.array, [3.0], dtype)
    _assert_values(gh.array, [5.0], dtype)


def test_grad_leaves_earlier_grads_of_intermediates_alone(device, dtype):
    x = _variable(device, [2.0], dtype)
    h = x * x
    h.grad = device.send(numpy.asarray([-1.0], dtype=dtype))
    polychain.grad([h * 3.0], [x])
    _assert_values(h.grad, [-1.0], dtype)


def test_grad_retain_grad_sets_the_grads_of_the_outputs_too(device, dtype):
    x = _variable(device, [2.0], dtype)
    y1 = x * 2.0
    y2 = y1 * 3.0
    polychain.grad([y1, y2], [x], retain_grad=True)
    _assert_values(y2.grad, [1.0], dtype)
    _assert_values(y1.grad, [4.0], dtype)


@pytest.mark.parametrize('call', [
    lambda y, x: polychain.grad(y, [x]),
    lambda y, x: polychain.grad([y], x),
    lambda y, x: polychain.grad([y], [x], y),
    lambda y, x: polychain.grad([y], [x], None, x),
])
def test_grad_takes_sequences_only(call, device, dtype):
    x = _variable(device, [2.0], dtype)
    with pytest.raises(TypeError, match='tuple or a list'):
        call(x * x, x)


@pytest.mark.parametrize('grad_outputs, grad_inputs', [
    ([], [None]), ([None, None], [None]), ([None], []), ([None], [None, None])])
def test_grad_checks_the_lengths(grad_outputs, grad_inputs, device, dtype):
    x = _variable(device, [2.0], dtype)
    with pytest.raises(ValueError, match='same length'):
        polychain.grad([x * x], [x], grad_outputs, grad_inputs)


def test_grad_rejects_a_wrong_number_of_grad_outputs(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    ones = device.send(numpy.ones(2, dtype=dtype))
    with pytest.raises(ValueError, match='grad_outputs'):
        polychain.grad([x * 2.0], [x], grad_outputs=[ones, ones])


def test_grad_rejects_a_grad_output_of_another_shape(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    with pytest.raises(ValueError) as info:
        polychain.grad([x * 2.0], [x], grad_outputs=[device.send(numpy.ones(3, dtype=dtype))])
    assert '(2,)' in str(info.value)
    assert '(3,)' in str(info.value)


def test_grad_rejects_a_grad_output_of_another_dtype(device):
    x = _variable(device, [1.0, 2.0], 'float64')
    with pytest.raises(ValueError) as info:
        polychain.grad([x * 2.0], [x],
                       grad_outputs=[device.send(numpy.ones(2, dtype='float32'))])
    assert 'float32' in str(info.value)
    assert 'float64' in str(info.value)


@pytest.mark.parametrize('bad', [[1.0, 1.0], 'ones'])
def test_grad_rejects_a_grad_output_that_is_not_an_array(bad, device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    with pytest.raises(TypeError):
        polychain.grad([x * 2.0], [x], grad_outputs=[bad])


def test_grad_rejects_arrays_as_inputs(device, dtype):
    x = _variable(device, [1.0], dtype)
    with pytest.raises(TypeError, match='inputs'):
        polychain.grad([x * 2.0], [x.array])


# -- _backprop_utils.backprop_step: Chainer's one-step interface -------------------------------


@pytest.mark.parametrize('lazy', [False, True])
def test_backprop_step_appends_and_sums_the_gradients(lazy, device, dtype):
    from polychain._backprop_utils import _reduce, backprop_step
    x = _variable(device, [2.0], dtype)
    y = x * 3.0
    func = y.creator_node
    earlier = _variable(device, [1.0], dtype)
    grads = {x.node: [earlier]}
    gy = _variable(device, [1.0], dtype)
    with polychain.using_config('lazy_grad_sum', lazy):
        backprop_step(func, (0,), (gy,), grads, True)
    assert len(grads[x.node]) == (2 if lazy else 1)
    _assert_values(_reduce(grads[x.node]).array, [4.0], dtype)


# -- polychain.backward: several outputs at once ---------------------------------------------


def test_backward_of_several_outputs_runs_each_backward_once(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    h = x * 2.0
    y0, y1 = h * 3.0, h * 4.0
    y0.grad = device.send(numpy.asarray([1.0, 10.0], dtype=dtype))
    y1.grad = device.send(numpy.asarray([100.0, 1000.0], dtype=dtype))
    polychain.backward([y0, y1])
    _assert_values(x.grad, [806.0, 8060.0], dtype)
    assert y0.grad is None and y1.grad is None


def test_backward_skips_a_none_grad_output(device, dtype):
    x = _variable(device, [1.0], dtype)
    y0, y1 = x * 3.0, x * 4.0
    polychain.backward([y0, y1], [None, _variable(device, [1.0], dtype)])
    _assert_values(x.grad, [4.0], dtype)


def test_sums_of_zero_dimensional_gradients_stay_arrays(device, dtype):
    x = _variable(device, 2.0, dtype)
    gx, = polychain.grad([x * 3.0, x * 4.0], [x], set_grad=True)
    assert x.grad.shape == ()
    _assert_values(x.grad, 7.0, dtype)


def test_backward_skips_outputs_without_a_gradient_with_a_warning(device, dtype):
    x = _variable(device, [4.0], dtype)
    with pytest.warns(RuntimeWarning):
        polychain.backward([x * 2.0])
    assert x.grad is None


def test_backward_uses_a_repeated_output_once(device, dtype):
    x = _variable(device, [1.0], dtype)
    y = x * 1.0
    y.grad = device.send(numpy.asarray([3.0], dtype=dtype))
    with pytest.warns(RuntimeWarning):
        polychain.backward([y, y])
    _assert_values(x.grad, [3.0], dtype)


def test_backward_checks_its_arguments(device, dtype):
    x = _variable(device, [1.0], dtype)
    y = x * 1.0
    with pytest.raises(TypeError):
        polychain.backward(y)
    with pytest.raises(ValueError):
        polychain.backward([y], [])
    polychain.backward([])


def test_grad_gives_none_for_none_inputs(device, dtype):
    x = _variable(device, [2.0], dtype)
    gx, none = polychain.grad([x * x], [x, None])
    assert none is None
    _assert_values(gx.array, [4.0], dtype)


def test_backward_of_a_one_element_vector_is_deprecated(device, dtype):
    x = _variable(device, [2.0], dtype)
    with pytest.warns(DeprecationWarning):
        (x * x).backward()


def test_an_assigned_grad_requires_grad(device, dtype):
    x = _variable(device, [2.0], dtype)
    x.grad = device.send(numpy.ones(1, dtype=dtype))
    assert x.grad_var.requires_grad


def test_debug_mode_errors_in_backward_name_where_the_function_was_called(device):
    import inspect

    class Failing(polychain.FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 1.0,

        def backward(self, indexes, grad_outputs):
            raise ValueError('broken backward')

    x = _variable(device, [1.0], 'float32')
    with polychain.using_config('debug', True):
        line = inspect.currentframe().f_lineno + 1
        y, = Failing().apply((x,))
        with pytest.raises(ValueError, match=f'Stacktrace(.|\\n)*line {line}'):
            y.backward()
