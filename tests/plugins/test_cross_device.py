"""Arrays and Variables moving between ``@numpy`` and ``@jax:cpu:0``, and functions agreeing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import get_device_from_array, to_host

pytest.importorskip('jax', reason='jax is not installed')

DTYPES = (numpy.float16, numpy.float32, numpy.float64, numpy.int32, numpy.int64, numpy.uint8,
          numpy.bool_)
#: (atol, rtol) between the two backends' results; XLA and NumPy may round differently.
AGREEMENT = {'float32': (1e-6, 1e-5), 'float64': (1e-13, 1e-12)}


@pytest.fixture
def numpy_device():
    return polychain.get_device('@numpy')


@pytest.fixture
def jax_device():
    return polychain.get_device('@jax:cpu:0')


def _host_array(dtype: type) -> numpy.ndarray:
    values = numpy.array([[0.5, -1.25, 3.0], [1e-8, 255.0, 0.0]])
    if numpy.dtype(dtype).kind in 'ub':
        values = numpy.abs(values)
    return values.astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES, ids=lambda dtype: numpy.dtype(dtype).name)
def test_send_both_ways_keeps_values_and_dtypes(numpy_device, jax_device, dtype):
    host = _host_array(dtype)
    on_jax = jax_device.send(host)
    assert get_device_from_array(on_jax) is jax_device
    back = numpy_device.send(on_jax)
    assert get_device_from_array(back) is numpy_device
    assert isinstance(back, numpy.ndarray)
    assert back.dtype == host.dtype
    numpy.testing.assert_array_equal(back, host)


def test_send_both_ways_keeps_nested_containers(numpy_device, jax_device):
    tree = {'weights': [numpy.ones((2, 2), numpy.float32), numpy.arange(3)],
            'pair': (numpy.float32(2.5), None), 'step': 4, 'rate': 0.1}
    on_jax = jax_device.send(tree)
    back = numpy_device.send(on_jax)
    for moved, device in ((on_jax, jax_device), (back, numpy_device)):
        assert isinstance(moved['weights'], list) and isinstance(moved['pair'], tuple)
        assert moved['pair'][1] is None and moved['step'] == 4 and moved['rate'] == 0.1
        for array in moved['weights'] + [moved['pair'][0]]:
            assert get_device_from_array(array) is device
    numpy.testing.assert_array_equal(back['weights'][0], tree['weights'][0])
    numpy.testing.assert_array_equal(back['weights'][1], tree['weights'][1])
    assert back['pair'][0].dtype == numpy.float32 and back['pair'][0] == 2.5


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_variable_to_device_both_ways_is_bit_identical(numpy_device, jax_device, rng, dtype):
    data = rng.standard_normal((3, 4)).astype(dtype)
    grad = rng.standard_normal((3, 4)).astype(dtype)
    x = polychain.Variable(data.copy(), grad=grad.copy())
    assert x.to_device('@jax:cpu:0') is x
    assert x.device is jax_device
    assert get_device_from_array(x.array) is jax_device
    assert get_device_from_array(x.grad) is jax_device
    x.to_device(numpy_device)
    assert x.device is numpy_device
    for moved, original in ((x.array, data), (x.grad, grad)):
        assert isinstance(moved, numpy.ndarray) and moved.dtype == dtype
        assert moved.tobytes() == original.tobytes()


def test_mixing_devices_in_one_function_names_both(numpy_device, jax_device):
    a = polychain.Variable(numpy.ones(3, numpy.float32))
    b = polychain.Variable(jax_device.send(numpy.ones(3, numpy.float32)))
    for call in (lambda: a + b, lambda: b * a, lambda: F.matmul(F.reshape(a, (1, 3)),
                                                                F.reshape(b, (3, 1)))):
        with pytest.raises(ValueError) as info:
            call()
        assert '@numpy' in str(info.value) and '@jax:cpu:0' in str(info.value)


@dataclass(frozen=True)
class Case:
    """One function call compared across the two devices.

    Args:
        name: The test id.
        func: Takes one Variable per input and returns a Variable.
        shapes: The shape of each input.
        low: Inputs are drawn uniformly from ``[low, high)``.
        high: See ``low``.
    """

    name: str
    func: Callable[..., polychain.Variable]
    shapes: tuple[tuple[int, ...], ...]
    low: float = -2.0
    high: float = 2.0


CASES = [
    Case('relu', F.relu, ((3, 4),)),
    Case('sigmoid', F.sigmoid, ((3, 4),)),
    Case('tanh', F.tanh, ((3, 4),)),
    Case('exp', F.exp, ((3, 4),)),
    Case('log', F.log, ((3, 4),), 0.2, 3.0),
    Case('sqrt', F.sqrt, ((3, 4),), 0.2, 3.0),
    Case('sum_all', F.sum, ((3, 4),)),
    Case('sum_axis_keepdims', lambda x: F.sum(x, axis=(0, 2), keepdims=True), ((2, 3, 4),)),
    Case('mean_axis', lambda x: F.mean(x, axis=1), ((2, 3, 4),)),
    Case('mean_weighted', lambda x, w: F.mean(x, axis=1, weights=w), ((2, 3), (3,)), 0.5, 2.0),
    Case('broadcast_to', lambda x: F.broadcast_to(x, (2, 3, 4)), ((3, 1),)),
    Case('sum_to', lambda x: F.sum_to(x, (3, 1)), ((2, 3, 4),)),
    Case('reshape', lambda x: F.reshape(x, (4, -1)), ((2, 3, 2),)),
    Case('transpose', lambda x: F.transpose(x, (1, 2, 0)), ((2, 3, 4),)),
    Case('transpose_reverse', lambda x: x.T, ((2, 3),)),
    Case('matmul', F.matmul, ((3, 4), (4, 2))),
    Case('matmul_batched_transposed',
         lambda a, b: F.matmul(a, b, transa=True, transb=True), ((2, 4, 3), (2, 5, 4))),
    Case('matmul_vector', F.matmul, ((4,), (3, 4, 2))),
    Case('linear', F.linear, ((5, 3), (4, 3), (4,))),
    Case('linear_no_bias_batch_axes', lambda x, w: F.linear(x, w, n_batch_axes=2),
         ((2, 3, 4), (5, 4))),
    Case('get_item_slices', lambda x: x[1:, ::2, None, ...], ((3, 4, 2),)),
    Case('get_item_repeated_indices', lambda x: x[numpy.array([2, 0, 2]), 1:], ((3, 4),)),
    Case('get_item_list_pair', lambda x: x[[0, 2, 0], [1, 1, 3]], ((3, 4),)),
    Case('get_item_mask', lambda x: x[numpy.array([True, False, True])], ((3, 4),)),
    Case('add_sub_broadcast', lambda a, b: a + b - a * 2.0 + 1, ((3, 4), (4,))),
    Case('mul_div', lambda a, b: a * b / (b * b + 1.0), ((3, 4), (3, 1))),
    Case('reflected_scalars', lambda a: 1.5 - a + 2.0 / (a * a + 1.0) + 3 * a, ((3, 4),)),
    Case('pow', lambda a, b: a ** b + a ** 2 + 2.0 ** b - a ** 0.5, ((3, 4), (3, 4)), 0.5, 2.0),
    Case('neg_abs', lambda a: -abs(a) + (+a), ((3, 4),)),
    Case('matmul_operator', lambda a, b: a @ b, ((2, 3), (3, 2))),
]


def _run(device: polychain.backend.Device, case: Case, inputs: list[numpy.ndarray],
         grad_output: Callable[[tuple[int, ...]], numpy.ndarray]):
    xs = [polychain.Variable(device.send(x)) for x in inputs]
    y = case.func(*xs)
    y.grad = device.send(grad_output(y.shape).astype(y.dtype))
    y.backward()
    assert all(x.device is device for x in xs) and y.device is device
    return to_host(y.array), [to_host(x.grad) for x in xs]


@pytest.mark.parametrize('case', CASES, ids=lambda case: case.name)
def test_functions_agree_between_numpy_and_jax(case, dtype, rng):
    inputs = [rng.uniform(case.low, case.high, size=shape).astype(dtype)
              for shape in case.shapes]
    seed = int(rng.integers(2 ** 31))

    def grad_output(shape):
        return numpy.random.default_rng(seed).uniform(-1, 1, size=shape)

    y_numpy, grads_numpy = _run(polychain.get_device('@numpy'), case, inputs, grad_output)
    y_jax, grads_jax = _run(polychain.get_device('@jax:cpu:0'), case, inputs, grad_output)
    atol, rtol = AGREEMENT[dtype.name]
    assert y_jax.dtype == y_numpy.dtype == dtype and y_jax.shape == y_numpy.shape
    numpy.testing.assert_allclose(y_jax, y_numpy, atol=atol, rtol=rtol)
    for g_jax, g_numpy in zip(grads_jax, grads_numpy):
        assert g_jax.dtype == g_numpy.dtype == dtype
        numpy.testing.assert_allclose(g_jax, g_numpy, atol=atol, rtol=rtol)
