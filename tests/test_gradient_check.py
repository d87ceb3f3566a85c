"""gradient_check: numerical gradients, and check_backward / check_double_backward catching
wrong derivatives."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import FunctionNode
from polychain.backend import to_host
from polychain.gradient_check import check_backward, check_double_backward, numerical_grad


class Square(FunctionNode):
    """x ** 2 whose first derivative is scaled by ``first`` and whose backward keeps the
    input attached to the graph only when ``differentiable_backward`` is set."""

    def __init__(self, first: float = 1.0, differentiable_backward: bool = True) -> None:
        self.first = first
        self.differentiable_backward = differentiable_backward

    def forward(self, inputs):
        self.retain_inputs((0,))
        x, = inputs
        return x * x,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        if not self.differentiable_backward:
            x = polychain.Variable(x.array, requires_grad=False)
        return grad_outputs[0] * x * (2.0 * self.first),


def correct_square(x):
    return Square().apply((x,))[0]


def square_with_wrong_backward(x):
    return Square(first=1.1).apply((x,))[0]


def square_with_wrong_double_backward(x):
    return Square(differentiable_backward=False).apply((x,))[0]


class ScaledProduct(FunctionNode):
    """x * w whose gradient with respect to ``w`` is scaled by ``w_scale``."""

    def __init__(self, w_scale: float) -> None:
        self.w_scale = w_scale

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, w = inputs
        return x * w,

    def backward(self, indexes, grad_outputs):
        x, w = self.get_retained_inputs()
        gy, = grad_outputs
        grads = {0: gy * w, 1: F.sum_to(gy * x, w.shape) * self.w_scale}
        return tuple(grads[i] for i in indexes)


def _inputs(device, dtype, rng, shape=(3, 2), low=-1.0, high=1.0):
    return device.send(rng.uniform(low, high, size=shape).astype(dtype))


# -- check_backward ------------------------------------------------------------------------------


def test_check_backward_accepts_a_correct_backward(device, dtype, tolerance, rng):
    atol, rtol = tolerance
    check_backward(correct_square, _inputs(device, dtype, rng), _inputs(device, dtype, rng),
                   atol=atol, rtol=rtol, seed=0)


def test_check_backward_detects_a_wrong_backward(device, dtype, tolerance, rng):
    atol, rtol = tolerance
    with pytest.raises(AssertionError, match='square_with_wrong_backward'):
        check_backward(square_with_wrong_backward, _inputs(device, dtype, rng),
                       _inputs(device, dtype, rng), atol=atol, rtol=rtol, seed=0)


def test_check_backward_with_several_inputs(device, dtype, tolerance, rng):
    atol, rtol = tolerance
    x, w, gy = (_inputs(device, dtype, rng) for _ in range(3))
    check_backward(lambda a, b: a * b + F.exp(a), (x, w), gy, atol=atol, rtol=rtol, seed=0)


def test_check_backward_of_a_scalar_output_needs_no_y_grad(device, dtype, tolerance, rng):
    atol, rtol = tolerance
    check_backward(lambda a: F.sum(a * a), _inputs(device, dtype, rng), None, atol=atol,
                   rtol=rtol, seed=0)


def test_check_backward_checks_params(device, dtype, tolerance, rng):
    atol, rtol = tolerance
    param = polychain.Parameter(_inputs(device, dtype, rng, shape=(2,)))
    x, gy = _inputs(device, dtype, rng), _inputs(device, dtype, rng)
    before = numpy.array(to_host(param.array))

    check_backward(lambda a: ScaledProduct(1.0).apply((a, param))[0], x, gy, params=(param,),
                   atol=atol, rtol=rtol, seed=0)
    with pytest.raises(AssertionError):
        check_backward(lambda a: ScaledProduct(1.1).apply((a, param))[0], x, gy,
                       params=param, atol=atol, rtol=rtol, seed=0)
    numpy.testing.assert_array_equal(to_host(param.array), before)


def test_the_numerical_pass_runs_without_type_checks(device, rng):
    """As in Chainer: a link keeps float32 parameters while check_backward(dtype=float64)
    feeds it float64 inputs, which the type check of a linear map with a bias refuses."""
    link = polychain.links.Linear(3, 2).to_device(device)
    x = device.send(rng.standard_normal((4, 3)).astype('float32'))
    gy = device.send(rng.standard_normal((4, 2)).astype('float32'))
    check_backward(link, x, gy, params=(link.W, link.b), dtype=numpy.float64,
                   atol=1e-3, rtol=1e-3)


def test_check_backward_checks_parameters_created_by_the_first_call(device, rng):
    link = polychain.links.Linear(None, 2).to_device(device)
    x = device.send(rng.standard_normal((4, 3)).astype('float32'))
    gy = device.send(rng.standard_normal((4, 2)).astype('float32'))
    check_backward(link, x, gy, params=(link.W, link.b), dtype=numpy.float64,
                   atol=1e-3, rtol=1e-3)
    assert link.W.shape == (2, 3)


def test_a_linear_map_with_a_bias_of_another_dtype_is_refused_when_types_are_checked():
    x, w, b = numpy.ones((1, 3)), numpy.ones((2, 3), 'f'), numpy.ones(2, 'f')
    with pytest.raises(polychain.utils.type_check.InvalidType, match='b.dtype'):
        F.linear(x, w, b)
    with polychain.using_config('type_check', False):
        assert F.linear(x, w, b).dtype == numpy.float64


def test_check_backward_leaves_inputs_unchanged(device, dtype, rng):
    x = _inputs(device, dtype, rng)
    before = numpy.array(to_host(x))
    check_backward(correct_square, x, _inputs(device, dtype, rng), atol=1e-3, rtol=1e-3, seed=0)
    numpy.testing.assert_array_equal(to_host(x), before)


def test_no_grads_skips_an_input_used_as_a_constant(device, dtype, tolerance, rng):
    atol, rtol = tolerance
    x, w, gy = (_inputs(device, dtype, rng) for _ in range(3))

    def product_with_constant_w(a, b):
        return a * b.array

    check_backward(product_with_constant_w, (x, w), gy, no_grads=[False, True],
                   atol=atol, rtol=rtol, seed=0)
    with pytest.raises(AssertionError):
        check_backward(product_with_constant_w, (x, w), gy, atol=atol, rtol=rtol, seed=0)


def test_no_grads_input_that_gets_a_gradient_raises(device, dtype, rng):
    x, w, gy = (_inputs(device, dtype, rng) for _ in range(3))
    with pytest.raises(RuntimeError, match='input 1'):
        check_backward(lambda a, b: a * b, (x, w), gy, no_grads=[False, True], seed=0)


def test_no_grads_of_a_wrong_length_raises(device, dtype, rng):
    with pytest.raises(ValueError, match='no_grads'):
        check_backward(correct_square, _inputs(device, dtype, rng), _inputs(device, dtype, rng),
                       no_grads=[False, False])


# -- check_double_backward ------------------------------------------------------------------------


def test_check_double_backward_accepts_a_correct_function(device, dtype, tolerance, rng):
    atol, rtol = tolerance
    x, gy, ggx = (_inputs(device, dtype, rng) for _ in range(3))
    check_double_backward(correct_square, x, gy, ggx, atol=atol, rtol=rtol, seed=0)


def test_check_double_backward_detects_a_wrong_second_derivative(device, dtype, tolerance, rng):
    atol, rtol = tolerance
    x, gy, ggx = (_inputs(device, dtype, rng) for _ in range(3))
    check_backward(square_with_wrong_double_backward, x, gy, atol=atol, rtol=rtol, seed=0)
    with pytest.raises(AssertionError):
        check_double_backward(square_with_wrong_double_backward, x, gy, ggx, atol=atol,
                              rtol=rtol, seed=0)


# -- numerical_grad -----------------------------------------------------------------------------


def test_numerical_grad_matches_analytic_gradients(device, rng):
    dtype = numpy.dtype('float64')
    x, w, gy = (_inputs(device, dtype, rng) for _ in range(3))

    def f(a, b):
        return F.tanh(a) * b

    numeric_x, numeric_w = numerical_grad(f, (x, w), (gy,), eps=1e-4)
    vx, vw = polychain.Variable(x), polychain.Variable(w)
    analytic_x, analytic_w = polychain.grad([f(vx, vw)], [vx, vw], [gy])

    for numeric, analytic in ((numeric_x, analytic_x), (numeric_w, analytic_w)):
        assert polychain.get_device_from_array(numeric) == device
        assert numeric.shape == analytic.shape
        numpy.testing.assert_allclose(to_host(numeric), to_host(analytic.array), atol=1e-7)


def test_numerical_grad_of_a_known_function(device):
    x = device.send(numpy.asarray([1.0, 2.0, 3.0]))
    gy = device.send(numpy.asarray([1.0, 1.0, 2.0]))
    gx, = numerical_grad(lambda a: a * a * a, (x,), (gy,), eps=1e-4)
    numpy.testing.assert_allclose(to_host(gx), [3.0, 12.0, 54.0], rtol=1e-6)


def test_numerical_grad_leaves_inputs_unchanged(device):
    x = device.send(numpy.asarray([1.0, 2.0]))
    numerical_grad(lambda a: a * a, (x,), (device.send(numpy.ones(2)),))
    numpy.testing.assert_array_equal(to_host(x), [1.0, 2.0])


def test_numerical_grad_of_a_function_without_arguments_perturbs_in_place(device):
    x = device.send(numpy.asarray([1.0, 3.0]))
    gy = device.send(numpy.ones(2))
    try:
        gx, = numerical_grad(lambda: x * x, (x,), (gy,))
    except TypeError as error:
        assert 'in place' in str(error)  # immutable arrays (JAX)
        return
    numpy.testing.assert_allclose(to_host(gx), [2.0, 6.0])
    numpy.testing.assert_array_equal(to_host(x), [1.0, 3.0])


def test_numerical_grad_copies_outputs_that_share_the_input(device):
    x = device.send(numpy.asarray([1.0, 3.0]))
    try:
        gx, = numerical_grad(lambda: (x,), (x,), (1,))
    except TypeError:
        pytest.skip(f'arrays of {device} are immutable')
    numpy.testing.assert_allclose(to_host(gx), [1.0, 1.0])


@pytest.mark.parametrize('eps', [0, -1.0])
def test_numerical_grad_needs_a_positive_eps(eps, device):
    x = device.send(numpy.asarray([1.0]))
    with pytest.raises(AssertionError, match='eps'):
        numerical_grad(lambda a: a, (x,), (x,), eps=eps)


@pytest.mark.parametrize('function, x, eps, expected', [
    (numpy.abs, 0.0, 1e-3, True),
    (numpy.abs, 0.8e-3, 1e-3, True),
    (numpy.abs, 1.2e-3, 1e-3, False),
    (lambda x: x * x + 2.0, 100.0, 1e-3, False),
    (lambda x: -3 * x ** 3 + 2 * x ** 2 + 1, 0.0, 1e-3, False),
    (lambda x: -3 * x ** 3 + 2 * x ** 2 + 1, 0.0, 1e-1, True),
    (numpy.floor, 100.0008, 1e-3, True),
    (numpy.log, 0.0, 1e-3, True),
    (numpy.log, -10.0, 1e-3, False),
])
def test_numerical_grad_detects_nondifferentiable_points(function, x, eps, expected):
    from polychain.gradient_check import NondifferentiableError
    x = numpy.asarray([x], dtype='float32')
    gy = numpy.ones(1, dtype='float32')
    with numpy.errstate(all='ignore'):
        if expected:
            with pytest.raises(NondifferentiableError):
                numerical_grad(lambda a: function(a), (x,), (gy,), eps=eps,
                               detect_nondifferentiable=True)
        else:
            numerical_grad(lambda a: function(a), (x,), (gy,), eps=eps,
                           detect_nondifferentiable=True)


class _SumAndProduct(FunctionNode):
    """(x + y, x * y); records which output gradients its backward receives as None."""

    seen = []

    def forward(self, inputs):
        x, y = inputs
        self.retain_inputs((0, 1))
        return x + y, x * y

    def backward(self, indexes, grad_outputs):
        type(self).seen.append(tuple(g is None for g in grad_outputs))
        x, y = self.get_retained_inputs()
        g_sum, g_product = grad_outputs
        gx = gy = 0
        if g_sum is not None:
            gx, gy = g_sum, g_sum
        if g_product is not None:
            gx, gy = gx + g_product * y, gy + g_product * x
        return gx, gy


def test_check_backward_none_output_gradient_means_no_gradient_from_that_output():
    _SumAndProduct.seen = []
    x, y = numpy.random.uniform(-1, 1, (2, 3)), numpy.random.uniform(-1, 1, (2, 3))
    check_backward(lambda a, b: _SumAndProduct().apply((a, b)), (x, y),
                   (None, numpy.ones((2, 3))))
    assert _SumAndProduct.seen == [(True, False)]


class _Cube(FunctionNode):
    """x ** 3, asserting that it is given arrays, not NumPy scalars."""

    def forward(self, inputs):
        x, = inputs
        assert isinstance(x, numpy.ndarray), type(x)
        self.retain_inputs((0,))
        return x ** 3,

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return 3 * x * x * grad_outputs[0],


def test_zero_dimensional_inputs_stay_arrays_in_the_numerical_pass():
    x = numpy.array(0.5)
    check_double_backward(lambda a: _Cube().apply((a,))[0], x, numpy.array(1.0),
                          numpy.array(1.0))


def test_the_numerical_pass_records_the_graph_as_the_analytic_pass_does(device, rng):
    """As in Chainer: a function under test may read its outputs' creator in every pass."""
    def squared(x):
        y = x * x
        assert y.creator is not None
        return y

    x = device.send(rng.standard_normal(3))
    check_backward(squared, x, device.send(rng.standard_normal(3)))
