"""Checks shared by the tests of ``polychain.functions``.

A :class:`FunctionCase` describes one call of a function; :func:`check_forward`
compares it with a NumPy float64 reference and :func:`check_gradients` checks
its first and second derivatives against numerical ones, on any device.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy
import pytest

import polychain
from polychain import gradient_check
from polychain.backend import to_host

Sampler = Callable[[numpy.random.Generator, tuple[int, ...]], numpy.ndarray]

#: (atol, rtol) of forward results against the float64 reference, by dtype.
FORWARD_TOLERANCE = {'float32': (1e-6, 1e-5), 'float64': (1e-12, 1e-12)}


def uniform(low: float = -1.0, high: float = 1.0) -> Sampler:
    """Draws inputs uniformly from ``[low, high)``."""
    def sample(rng: numpy.random.Generator, shape: tuple[int, ...]) -> numpy.ndarray:
        return rng.uniform(low, high, size=shape)
    return sample


def away_from_zero(low: float = 0.1, high: float = 1.0) -> Sampler:
    """Draws inputs with ``low <= |x| < high`` and a random sign (for kinks at 0)."""
    def sample(rng: numpy.random.Generator, shape: tuple[int, ...]) -> numpy.ndarray:
        magnitude = rng.uniform(low, high, size=shape)
        return numpy.where(rng.uniform(size=shape) < 0.5, -magnitude, magnitude)
    return sample


@dataclass(frozen=True)
class FunctionCase:
    """One call of a function under test.

    Args:
        name: The test id.
        func: Takes one Variable per input and returns a Variable.
        reference: Takes one float64 NumPy array per input and returns the
            expected output.
        shapes: The shape of each input.
        samplers: How each input is drawn: one sampler for all inputs or one per
            input (default: uniform in ``[-1, 1)``).
        double_backward: Whether the second derivative is checked too.
        eps: Step of the numerical derivatives.
    """

    name: str
    func: Callable[..., polychain.Variable]
    reference: Callable[..., Any]
    shapes: tuple[tuple[int, ...], ...]
    samplers: Sampler | tuple[Sampler, ...] = uniform()
    double_backward: bool = True
    eps: float = 1e-3

    def __str__(self) -> str:
        return self.name

    def make_inputs(self, device: polychain.backend.Device, dtype: numpy.dtype,
                    rng: numpy.random.Generator) -> list[Any]:
        """Draws the inputs on the host, casts them to ``dtype`` and sends them to ``device``."""
        samplers = self.samplers
        if not isinstance(samplers, tuple):
            samplers = (samplers,) * len(self.shapes)
        return [device.send(numpy.asarray(sample(rng, shape), dtype=dtype))
                for sample, shape in zip(samplers, self.shapes)]


def random_like(rng: numpy.random.Generator, shape: tuple[int, ...],
                dtype: numpy.dtype) -> numpy.ndarray:
    """A host array of ``shape`` and ``dtype`` uniform in ``[-1, 1)`` (output gradients)."""
    return numpy.asarray(rng.uniform(-1, 1, size=shape), dtype=dtype)


def host_copies(arrays: Sequence[Any]) -> list[numpy.ndarray]:
    """Host copies of device arrays, to compare with later."""
    return [numpy.array(to_host(a)) for a in arrays]


def assert_unchanged(arrays: Sequence[Any], copies: Sequence[numpy.ndarray]) -> None:
    """Asserts that a function did not write into its inputs."""
    for i, (array, copy) in enumerate(zip(arrays, copies)):
        numpy.testing.assert_array_equal(to_host(array), copy,
                                         err_msg=f'input {i} was modified')


def check_forward(case: FunctionCase, device: polychain.backend.Device, dtype: numpy.dtype,
                  rng: numpy.random.Generator) -> None:
    """Checks the output's values, shape, dtype and device against the reference."""
    inputs = case.make_inputs(device, dtype, rng)
    copies = host_copies(inputs)
    y = case.func(*[polychain.Variable(x) for x in inputs])
    expected = numpy.asarray(case.reference(*[c.astype(numpy.float64) for c in copies]))

    assert isinstance(y, polychain.Variable)
    assert y.device == device
    assert polychain.get_device_from_array(y.array) == device
    assert y.shape == expected.shape
    result = to_host(y.array)
    assert result.dtype == dtype
    atol, rtol = FORWARD_TOLERANCE[dtype.name]
    numpy.testing.assert_allclose(result, expected, atol=atol, rtol=rtol)
    assert_unchanged(inputs, copies)


def check_gradients(case: FunctionCase, device: polychain.backend.Device, dtype: numpy.dtype,
                    tolerance: tuple[float, float], rng: numpy.random.Generator) -> None:
    """Checks backward (and double backward) numerically and the gradients' shapes and dtypes."""
    inputs = case.make_inputs(device, dtype, rng)
    copies = host_copies(inputs)
    xs = [polychain.Variable(x) for x in inputs]
    y = case.func(*xs)
    gy = device.send(random_like(rng, y.shape, dtype))
    for i, (x, gx) in enumerate(zip(xs, polychain.grad([y], xs, [gy]))):
        assert gx is not None, f'no gradient reached input {i}'
        assert gx.shape == x.shape, f'gradient of input {i}'
        assert gx.device == device
        assert to_host(gx.array).dtype == dtype, f'gradient of input {i}'

    atol, rtol = tolerance
    gradient_check.check_backward(case.func, tuple(inputs), gy, eps=case.eps, atol=atol,
                                  rtol=rtol, seed=0)
    if case.double_backward:
        ggxs = tuple(device.send(random_like(rng, c.shape, dtype)) for c in copies)
        gradient_check.check_double_backward(case.func, tuple(inputs), gy, ggxs, eps=case.eps,
                                             atol=atol, rtol=rtol, seed=0)
    assert_unchanged(inputs, copies)


def require_reflected_operator(device: polychain.backend.Device, name: str) -> None:
    """Skips when arrays of ``device`` reject a Variable operand of ``__<name>__``.

    Python calls a Variable's reflected operator (``__radd__``) only when the
    array on the left returns ``NotImplemented``; some libraries raise instead.
    """
    array = device.send(numpy.ones((1, 1), dtype='float32'))
    variable = polychain.Variable(device.send(numpy.ones((1, 1), dtype='float32')))
    try:
        getattr(array, f'__{name}__')(variable)
    except TypeError as error:
        pytest.skip(f'arrays of {device} raise instead of deferring to the Variable: {error}')
