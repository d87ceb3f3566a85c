"""FunctionNode: user-defined functions, retained arrays, type checks and device checks."""

from collections.abc import Sequence
from typing import Any

import array_api_compat.numpy
import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import FunctionNode
from polychain.backend import Backend, Device, register_backend, to_host, unregister_backend
from polychain.gradient_check import check_backward, check_double_backward
from polychain.utils.type_check import InvalidType


def _variable(device, values, dtype='float32', **kwargs):
    return polychain.Variable(device.send(numpy.asarray(values, dtype=dtype)), **kwargs)


class Cube(FunctionNode):
    """x ** 3 whose backward reads both the retained input and the retained output."""

    def forward(self, inputs):
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        x, = inputs
        return x * x * x,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        return grad_outputs[0] * 3.0 * y / x,


def cube(x):
    return Cube().apply((x,))[0]


class SplitScale(FunctionNode):
    """Two outputs, 2x and 3x; records the output gradients its backward receives."""

    def forward(self, inputs):
        x, = inputs
        return x * 2.0, x * 3.0

    def backward(self, indexes, grad_outputs):
        self.received = grad_outputs
        gy0, gy1 = grad_outputs
        terms = [g * scale for g, scale in ((gy0, 2.0), (gy1, 3.0)) if g is not None]
        return terms[0] if len(terms) == 1 else terms[0] + terms[1],


class Matrix(FunctionNode):
    """The identity on matrices, rejecting other inputs in check_type_forward."""

    def check_type_forward(self, in_types):
        x, = in_types
        if x.ndim != 2:
            raise InvalidType('x.ndim == 2', f'x.ndim == {x.ndim}')

    def forward(self, inputs):
        return inputs[0],


class PairwiseProduct(FunctionNode):
    """a * b of equal shapes; its forward fails on other shapes and the check explains why."""

    check_type_on_failure = True

    def check_type_forward(self, in_types):
        a, b = in_types
        if a.shape != b.shape:
            raise InvalidType('a.shape == b.shape', f'a.shape == {a.shape}, b.shape == {b.shape}')

    def forward(self, inputs):
        a, b = inputs
        return a * b,


class ScaleBoth(FunctionNode):
    """a * 2 and b * 3 summed; backward returns one gradient per input whatever is asked."""

    def forward(self, inputs):
        a, b = inputs
        return a * 2.0 + b * 3.0,

    def backward(self, indexes, grad_outputs):
        self.indexes = indexes
        gy, = grad_outputs
        return gy * 2.0, gy * 3.0


# -- a second device for device checks ----------------------------------------------------------


class _PrivateArray(numpy.ndarray):
    """NumPy arrays that belong to the throw-away backend below."""


class _PrivateBackend(Backend):
    """A backend with one device, ``@private_test``, over :class:`_PrivateArray`."""

    name = 'private_test'
    namespace = array_api_compat.numpy
    array_types = (_PrivateArray,)

    def __init__(self) -> None:
        self._device = Device(self, self.name)

    def devices(self) -> Sequence[Device]:
        return [self._device]

    def get_device(self, parts: Sequence[str]) -> Device:
        return self._device

    def device_of(self, array: Any) -> Device:
        return self._device

    def to_host(self, array: Any) -> numpy.ndarray:
        return numpy.array(array).view(numpy.ndarray)

    def from_host(self, array: numpy.ndarray, device: Device) -> _PrivateArray:
        return numpy.array(array).view(_PrivateArray)


@pytest.fixture
def private_device():
    """The device of a backend registered for one test only."""
    register_backend(_PrivateBackend.name, _PrivateBackend)
    try:
        yield polychain.get_device('@' + _PrivateBackend.name)
    finally:
        unregister_backend(_PrivateBackend.name)


# -- user-defined functions ---------------------------------------------------------------------


def test_user_function_forward_and_backward(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    y = cube(x)
    numpy.testing.assert_allclose(to_host(y.array), [1.0, 8.0])
    y.grad = device.send(numpy.ones(2, dtype=dtype))
    y.backward()
    numpy.testing.assert_allclose(to_host(x.grad), [3.0, 12.0], rtol=1e-6)


def test_retained_inputs_and_outputs(device):
    x = _variable(device, [1.0, 2.0])
    y = cube(x)
    func = y.creator
    assert isinstance(func, Cube)

    retained_x, = func.get_retained_inputs()
    retained_y, = func.get_retained_outputs()
    assert retained_x.array is x.array
    assert retained_y.array is y.array
    assert func.output_data[0] is y.array
    assert retained_x.requires_grad


def test_retained_output_survives_its_variable(device, dtype):
    x = _variable(device, [2.0], dtype)
    z = cube(x) * 1.0
    z.backward()
    numpy.testing.assert_allclose(to_host(x.grad), [12.0], rtol=1e-6)


def test_user_function_passes_gradient_checks(device, dtype, tolerance, rng):
    x = device.send(rng.uniform(0.5, 2.0, size=(3, 2)).astype(dtype))
    gy = device.send(rng.uniform(-1, 1, size=(3, 2)).astype(dtype))
    ggx = device.send(rng.uniform(-1, 1, size=(3, 2)).astype(dtype))
    atol, rtol = tolerance
    check_backward(cube, x, gy, atol=atol, rtol=rtol, seed=0)
    check_double_backward(cube, x, gy, ggx, atol=atol, rtol=rtol, seed=0)


def test_the_graph_records_inputs_rank_and_label(device):
    x = _variable(device, [1.0])
    h = cube(x)
    y = cube(h)
    assert len(y.creator.inputs) == 1
    assert y.creator.rank == h.creator.rank + 1
    assert y.creator.label == 'Cube'


def test_no_graph_is_recorded_without_backprop(device):
    x = _variable(device, [1.0])
    with polychain.no_backprop_mode():
        y = cube(x)
    assert y.creator is None


def test_unused_output_gets_no_gradient(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    func = SplitScale()
    y0, y1 = func.apply((x,))
    F.sum(y0).backward(retain_grad=True)

    assert func.received[1] is None
    assert y1.grad is None
    numpy.testing.assert_array_equal(to_host(x.grad), numpy.full(2, 2.0, dtype=dtype))


def test_both_outputs_used(device, dtype):
    x = _variable(device, [1.0, 2.0], dtype)
    y0, y1 = SplitScale().apply((x,))
    F.sum(y0 + y1).backward()
    numpy.testing.assert_array_equal(to_host(x.grad), numpy.full(2, 5.0, dtype=dtype))


def test_backward_may_return_one_gradient_per_input(device, dtype):
    a = _variable(device, [1.0], dtype, requires_grad=False)
    b = _variable(device, [1.0], dtype)
    func = ScaleBoth()
    y, = func.apply((a, b))
    y.backward()
    assert func.indexes == (1,)
    assert a.grad is None
    numpy.testing.assert_array_equal(to_host(b.grad), numpy.full(1, 3.0, dtype=dtype))


def test_raw_arrays_are_accepted_as_inputs(device):
    y = cube(device.send(numpy.asarray([2.0], dtype='float32')))
    assert isinstance(y, polychain.Variable)
    numpy.testing.assert_array_equal(to_host(y.array), [8.0])


@pytest.mark.parametrize('value', [1.5, 2])
def test_non_array_inputs_raise_type_error_naming_the_function(value):
    with pytest.raises(TypeError, match='Cube'):
        Cube().apply((value,))


def test_none_inputs_and_outputs_pass_through(device):
    class MiddleOnly(FunctionNode):
        def forward(self, inputs):
            self.retain_inputs((1, 2))
            self.retain_outputs((0, 1))
            assert inputs[0] is None and inputs[2] is None
            return None, inputs[1] * 3.0

        def backward(self, indexes, grad_outputs):
            self.retained = self.get_retained_inputs(), self.get_retained_outputs()
            return None, grad_outputs[1] * 3.0, None

    x = _variable(device, [1.0, 2.0])
    f = MiddleOnly()
    y0, y1 = f.apply((None, x, None))
    assert y0.array is None
    y1.grad = device.send(numpy.ones(2, dtype='float32'))
    y1.backward()
    numpy.testing.assert_array_equal(to_host(x.grad), [3.0, 3.0])
    (_, none_input), (none_output, _) = f.retained
    assert none_input is None and none_output is None


def test_missing_forward_raises_not_implemented_naming_the_function(device):
    class NoForward(FunctionNode):
        pass

    with pytest.raises(NotImplementedError, match='NoForward'):
        NoForward().apply((_variable(device, [1.0]),))


def test_missing_backward_raises_not_implemented_naming_the_function(device):
    class NoBackward(FunctionNode):
        def forward(self, inputs):
            return inputs[0] * 2.0,

    y, = NoBackward().apply((_variable(device, [1.0]),))
    with pytest.raises(NotImplementedError, match='NoBackward'):
        y.backward()


# -- type checks ------------------------------------------------------------------------------


def test_check_type_forward_rejects_inputs_with_a_readable_message(device):
    x = _variable(device, [1.0, 2.0])
    with pytest.raises(InvalidType) as info:
        Matrix().apply((x,))
    message = str(info.value)
    assert 'Matrix' in message
    assert 'Expect: x.ndim == 2' in message
    assert 'Actual: x.ndim == 1' in message
    assert info.value.expect == 'x.ndim == 2'
    assert info.value.actual == 'x.ndim == 1'


def test_check_type_forward_accepts_valid_inputs(device):
    x = _variable(device, [[1.0, 2.0]])
    y, = Matrix().apply((x,))
    assert y.shape == (1, 2)


def test_type_check_can_be_switched_off(device):
    x = _variable(device, [1.0, 2.0])
    with polychain.using_config('type_check', False):
        y, = Matrix().apply((x,))
    assert y.shape == (2,)


def test_failed_forward_is_explained_by_check_type_forward(device):
    a = _variable(device, [1.0, 2.0, 3.0])
    b = _variable(device, [1.0, 2.0])
    with pytest.raises(InvalidType) as info:
        PairwiseProduct().apply((a, b))
    message = str(info.value)
    assert 'PairwiseProduct' in message
    assert 'Expect: a.shape == b.shape' in message
    assert '(3,)' in message
    assert '(2,)' in message


def test_adding_incompatible_shapes_raises_invalid_type_naming_both(device):
    a = _variable(device, numpy.ones((2, 3)))
    b = _variable(device, numpy.ones((3, 2)))
    with pytest.raises(InvalidType) as info:
        a + b
    message = str(info.value)
    assert '(2, 3)' in message
    assert '(3, 2)' in message


# -- devices ------------------------------------------------------------------------------------


def test_inputs_on_two_devices_raise_naming_both(device, private_device):
    x = _variable(device, [1.0, 2.0])
    other = polychain.Variable(private_device.send(numpy.ones(2, dtype='float32')))
    assert other.device == private_device

    with pytest.raises(ValueError) as info:
        x + other
    message = str(info.value)
    assert str(device) in message
    assert str(private_device) in message
    assert '_ + _' in message


def test_raw_array_on_another_device_raises(device, private_device):
    x = _variable(device, [1.0, 2.0])
    with pytest.raises(ValueError, match=str(private_device)):
        F.matmul(x, private_device.send(numpy.ones(2, dtype='float32')))


def test_outputs_live_on_the_inputs_device(private_device):
    x = polychain.Variable(private_device.send(numpy.asarray([2.0], dtype='float32')))
    y = cube(x)
    assert y.device == private_device
    assert isinstance(y.array, _PrivateArray)
    y.backward()
    assert isinstance(x.grad, _PrivateArray)
    numpy.testing.assert_array_equal(to_host(x.grad), [12.0])


def test_moving_a_variable_makes_it_combinable(device, private_device):
    x = _variable(device, [1.0, 2.0])
    other = polychain.Variable(private_device.send(numpy.ones(2, dtype='float32')))
    other.to_device(device)
    y = x + other
    assert y.device == device
    numpy.testing.assert_array_equal(to_host(y.array), [2.0, 3.0])


class _CountingApply(FunctionNode):
    """A function whose own ``apply`` counts its calls before running the usual one."""

    calls = 0

    def apply(self, inputs):
        _CountingApply.calls += 1
        return super().apply(inputs)

    def forward(self, inputs):
        return inputs[0] * 2,


class _CountingApplySubclass(_CountingApply):
    """Inherits the overriding ``apply``."""


def test_a_subclass_keeps_an_apply_it_overrides_and_passes_it_on(device):
    x = _variable(device, [1.0, 2.0])
    _CountingApply.calls = 0
    y, = _CountingApplySubclass().apply((x,))
    assert _CountingApply.calls == 1
    numpy.testing.assert_allclose(to_host(y.array), [2.0, 4.0])


def test_every_function_class_runs_the_same_apply():
    # Each class gets a copy of apply's code (for CPython's specialisation), which must
    # stay the same function: same name, documentation and signature.
    assert Cube.apply is not FunctionNode.apply
    assert Cube.apply.__code__.co_code == FunctionNode.apply.__code__.co_code
    assert Cube.apply.__doc__ == FunctionNode.apply.__doc__
    assert Cube.apply.__name__ == 'apply'


# -- Chainer's extension points: forward_cpu/forward_gpu, backward_accumulate, outputs --------


class HostForward(FunctionNode):
    """Implements forward_cpu only, as Chainer functions for the host do."""

    def forward_cpu(self, inputs):
        x, = inputs
        return x * 2.0,


def test_default_forward_calls_forward_cpu_off_cupy(device):
    if device.backend.name == 'cupy':
        pytest.skip('forward_gpu runs on CuPy')
    y, = HostForward().apply((_variable(device, [1.0, 2.0]),))
    numpy.testing.assert_array_equal(to_host(y.array), [2.0, 4.0])


def test_forward_without_an_implementation_names_both_methods(device):
    with pytest.raises(NotImplementedError, match='forward_cpu|forward_gpu'):
        FunctionNode().apply((_variable(device, [1.0]),))


class AccumulatingDouble(FunctionNode):
    """2x with a fused backward_accumulate that records what it received."""

    def forward(self, inputs):
        x, = inputs
        return x * 2.0,

    def backward_accumulate(self, indexes, grad_outputs, grad_inputs):
        self.received = grad_inputs
        gx = grad_outputs[0] * 2.0
        return (gx if grad_inputs[0] is None else gx + grad_inputs[0]),


def test_backward_accumulate_receives_the_gradient_so_far(device):
    x = _variable(device, [1.0, 2.0])
    h = x * 1.0
    f = AccumulatingDouble()
    y, = f.apply((h,))
    # h * deep ranks above f, so backward visits it first and f receives its gradient.
    deep = _variable(device, [3.0, 3.0]) * 1.0 * 1.0
    loss = F.sum(y) + F.sum(h * deep)
    loss.backward()
    numpy.testing.assert_array_equal(to_host(f.received[0].array), [3.0, 3.0])
    numpy.testing.assert_array_equal(to_host(x.grad), [5.0, 5.0])


def test_backward_accumulate_receives_a_leafs_existing_grad(device):
    x = _variable(device, [1.0])
    x.grad = device.send(numpy.asarray([10.0], dtype='float32'))
    f = AccumulatingDouble()
    y, = f.apply((x,))
    y.backward()
    numpy.testing.assert_array_equal(to_host(f.received[0].array), [10.0])
    numpy.testing.assert_array_equal(to_host(x.grad), [12.0])


def test_default_backward_accumulate_adds_backward(device):
    x = _variable(device, [2.0])
    f = Cube()
    f.apply((x,))
    g = _variable(device, [1.0])
    previous = _variable(device, [5.0])
    gx, = f.backward_accumulate((0,), (g,), (previous,))
    numpy.testing.assert_allclose(to_host(gx.array), [17.0])


def test_outputs_are_weak_references_to_the_output_nodes(device):
    x = _variable(device, [1.0])
    y0, y1 = SplitScale().apply((x,))
    f = y0.creator_node
    assert isinstance(f.outputs, tuple)
    assert f.outputs[0]() is y0.node
    assert f.outputs[1]() is y1.node


def test_unchain_makes_the_living_outputs_leaves(device):
    x = _variable(device, [1.0])
    y, = Cube().apply((x,))
    f = y.creator_node
    f.unchain()
    assert y.creator_node is None
    assert f.inputs is None


class ReturnsGradient(FunctionNode):
    """Returns a fixed object from backward."""

    def __init__(self, gradient):
        self.gradient = gradient

    def forward(self, inputs):
        return inputs[0] * 1.0,

    def backward(self, indexes, grad_outputs):
        return self.gradient


@pytest.mark.parametrize('make, error, match', [
    (lambda d: (polychain.Variable(d.send(numpy.asarray([float('nan')], 'float32'))),),
     RuntimeError, 'NaN is detected'),
    (lambda d: (polychain.Variable(d.send(numpy.asarray([1.0, 2.0], 'float32'))),),
     ValueError, 'shape of gradients'),
    (lambda d: (d.send(numpy.asarray([1.0], 'float32')),), ValueError, 'type of gradients'),
    (lambda d: (polychain.Variable(d.send(numpy.asarray([1.0], 'float64'))),),
     ValueError, 'dtype of gradients'),
])
def test_debug_mode_checks_the_gradients_of_backward(make, error, match, device):
    x = _variable(device, [1.0])
    x.grad = device.send(numpy.asarray([1.0], dtype='float32'))
    y, = ReturnsGradient(make(device)).apply((x,))
    with polychain.using_config('debug', True), pytest.raises(error, match=match):
        y.backward()


def test_a_wrong_number_of_gradients_raises(device):
    x = _variable(device, [1.0])
    one = polychain.Variable(device.send(numpy.asarray([1.0], 'float32')))
    y, = ReturnsGradient((one, one)).apply((x,))
    with pytest.raises(ValueError, match='number of gradients returned from backward'):
        y.backward()


def test_a_bare_function_node_runs_check_type_forward(device):
    f = FunctionNode()
    seen = []
    f.check_type_forward = seen.append
    f.forward_cpu = f.forward_gpu = lambda inputs: (inputs[0],)
    f.apply((_variable(device, [1.0]),))
    assert len(seen) == 1 and seen[0][0].shape == (1,)
    from polychain.utils.type_check import LightTypeInfoTuple
    assert isinstance(seen[0], LightTypeInfoTuple)


@pytest.mark.parametrize('call_retain', [True, False])
def test_nothing_retained_gives_empty_tuples(call_retain, device):
    class Triple(FunctionNode):
        def forward(self, inputs):
            if call_retain:
                self.retain_inputs(())
                self.retain_outputs(())
            return inputs[0] * 3.0,

        def backward(self, indexes, grad_outputs):
            self.retained = self.get_retained_inputs(), self.get_retained_outputs()
            return grad_outputs[0] * 3.0,

    f = Triple()
    y, = f.apply((_variable(device, [1.0]),))
    y.backward()
    assert f.retained == ((), ())


# -- apply's steps: one type-check mode, the record step, debug mode ------------------------


class CountedCheck(FunctionNode):
    """Checks its input before forward (counting the checks); forward fails on request."""

    def __init__(self, fail):
        self.fail = fail
        self.checks = 0

    def check_type_forward(self, in_types):
        self.checks += 1

    def forward(self, inputs):
        if self.fail:
            raise ZeroDivisionError('forward failed')
        return inputs[0],


class Identity(FunctionNode):
    """The first input, whatever the others."""

    def forward(self, inputs):
        return inputs[0] * 1.0,


@pytest.mark.parametrize('fail', [False, True])
def test_a_check_before_forward_runs_once_per_call(fail, device):
    f = CountedCheck(fail)
    x = _variable(device, [1.0])
    if fail:
        with pytest.raises(ZeroDivisionError):
            f.apply((x,))
    else:
        f.apply((x,))
    assert f.checks == 1


def test_a_check_on_failure_runs_only_when_forward_fails(device):
    seen = []

    class CountedPairwise(PairwiseProduct):
        def check_type_forward(self, in_types):
            seen.append(len(in_types))
            super().check_type_forward(in_types)

    CountedPairwise().apply((_variable(device, [1.0, 2.0]), _variable(device, [3.0, 4.0])))
    assert seen == []
    with pytest.raises(InvalidType):
        CountedPairwise().apply((_variable(device, [1.0, 2.0, 3.0]),
                                 _variable(device, [1.0, 2.0])))
    assert seen == [2]


def test_a_check_on_failure_is_switched_off_with_the_type_check(device):
    a = _variable(device, [1.0, 2.0, 3.0])
    b = _variable(device, [1.0, 2.0])
    with polychain.using_config('type_check', False), pytest.raises(Exception) as info:
        PairwiseProduct().apply((a, b))
    assert not isinstance(info.value, InvalidType)


@pytest.mark.parametrize('call', [
    lambda h: cube(h),
    lambda h: h * h,
    lambda h: Identity().apply((h, h, h))[0],
], ids=['one input', 'two inputs', 'three inputs'])
def test_an_input_variable_without_a_node_gets_one_that_knows_it(call, device):
    x = _variable(device, [[1.0, 2.0], [3.0, 4.0]])
    with polychain.no_backprop_mode():
        h = x * 2.0
    assert h.creator is None
    y = call(h)
    nodes = y.creator.inputs
    assert all(node is h.node for node in nodes)
    assert h.node.get_variable_or_none() is h


@pytest.mark.parametrize('n_inputs', [1, 2, 3])
def test_a_function_ranks_above_its_highest_input(n_inputs, device):
    x = _variable(device, [[1.0, 2.0], [3.0, 4.0]])
    deep = cube(cube(x))
    inputs = [x, deep, x][:n_inputs] if n_inputs > 1 else [deep]
    y, = Identity().apply(inputs)
    assert y.creator.rank == deep.node.rank == 2
    assert y.node.rank == 3


def test_a_function_with_an_array_input_records_a_node_for_it(device):
    x = _variable(device, [1.0, 2.0])
    array = device.send(numpy.asarray([3.0, 4.0], dtype='float32'))
    y, = Identity().apply((array, x))
    array_node, x_node = y.creator.inputs
    assert x_node is x.node
    assert not array_node.requires_grad and array_node.get_variable_or_none() is None


def test_debug_mode_records_where_apply_was_called(device):
    x = _variable(device, [1.0])
    with polychain.using_config('debug', True):
        y = cube(x)
    assert y.creator.stack[-1].name == 'cube'
    assert y.creator.stack[-2].name == 'test_debug_mode_records_where_apply_was_called'


def test_every_function_class_runs_its_own_record_step():
    assert Cube._record_call is not FunctionNode._record_call
    assert Cube._record_call.__code__ is not FunctionNode._record_call.__code__
    assert Cube._record_call.__code__.co_code == FunctionNode._record_call.__code__.co_code
