"""The checks of one cell (one case, dtype and device); each yields a :class:`CheckResult`."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy

import polychain
from polychain import Variable
from polychain.backend import Device, get_device_from_array, to_host
from polychain.gradient_check import check_backward, check_double_backward, numerical_grad
from polychain_conformance.arguments import Arguments, Draw
from polychain_conformance.spec import Tolerance

PASS, FAIL, NOT_RUN = 'pass', 'fail', 'not run'


@dataclass
class CheckResult:
    """The outcome of one check.

    Attributes:
        name: ``forward``, ``outputs``, ``backward``, ``double_backward``,
            ``inputs_unmodified`` or ``cross_device``.
        status: ``'pass'``, ``'fail'`` or ``'not run'``.
        message: What failed (or why it did not run).
        max_abs_error: The worst absolute error, where the check measures one.
        max_rel_error: The worst relative error, where the check measures one.
        atol: The absolute tolerance applied.
        rtol: The relative tolerance applied.
    """

    name: str
    status: str
    message: str = ''
    max_abs_error: float | None = None
    max_rel_error: float | None = None
    atol: float | None = None
    rtol: float | None = None


@dataclass
class HostValues:
    """Forward outputs and first-order gradients of one cell, on the host (for cross-device)."""

    outputs: tuple[numpy.ndarray, ...]
    grads: tuple[numpy.ndarray, ...]


def describe_exception(error: BaseException) -> str:
    """``Type: message (at file:line)`` naming the innermost frame that raised it."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f' (at {frames[-1].filename}:{frames[-1].lineno})' if frames else ''
    text = str(error).strip().splitlines()
    return f'{type(error).__name__}: {text[0] if text else ""}{where}'


def error_stats(actual: Sequence[numpy.ndarray],
                expected: Sequence[numpy.ndarray]) -> tuple[float, float]:
    """The worst absolute and relative element-wise errors over pairs of arrays."""
    worst_abs = worst_rel = 0.0
    for a, e in zip(actual, expected):
        a, e = numpy.asarray(a, numpy.float64), numpy.asarray(e, numpy.float64)
        if a.shape != e.shape:
            return float('nan'), float('nan')
        if not a.size:
            continue
        diff = numpy.abs(a - e)
        diff = numpy.where(numpy.isnan(a) & numpy.isnan(e), 0.0, diff)
        if numpy.isnan(diff).any():
            return float('nan'), float('nan')
        worst_abs = max(worst_abs, float(diff.max()))
        scale = numpy.maximum(numpy.abs(e), numpy.finfo(numpy.float64).tiny)
        worst_rel = max(worst_rel, float((diff / scale).max()))
    return worst_abs, worst_rel


def compare(name: str, actual: Sequence[numpy.ndarray], expected: Sequence[numpy.ndarray],
            atol: float, rtol: float, what: str) -> CheckResult:
    """Passes when every pair agrees element-wise within ``atol + rtol * |expected|``."""
    worst_abs, worst_rel = error_stats(actual, expected)
    ok = len(actual) == len(expected) and all(
        numpy.shape(a) == numpy.shape(e) and numpy.allclose(a, e, atol=atol, rtol=rtol,
                                                            equal_nan=True)
        for a, e in zip(actual, expected))
    if ok:
        return CheckResult(name, PASS, '', worst_abs, worst_rel, atol, rtol)
    shapes = f'shapes {[numpy.shape(a) for a in actual]} vs {[numpy.shape(e) for e in expected]}'
    return CheckResult(name, FAIL, f'{what} differ: max abs error {worst_abs:.3g}, max rel '
                       f'error {worst_rel:.3g} (atol {atol:g}, rtol {rtol:g}; {shapes})',
                       worst_abs, worst_rel, atol, rtol)


def check_forward(outputs: tuple[numpy.ndarray, ...], drawn: Draw,
                  tolerance: Tolerance) -> CheckResult:
    """Outputs against the float64 NumPy reference."""
    return compare('forward', outputs, drawn.expected, tolerance.forward_atol,
                   tolerance.forward_rtol, 'outputs and the NumPy reference')


def check_properties(outputs: Sequence[Any], grads: Sequence[Variable | None],
                     arrays: Sequence[Any], drawn: Draw, dtype: str,
                     device: Device,
                     output_dtypes: Sequence[str | None] | None = None) -> CheckResult:
    """Outputs and gradients are Variables of the expected shape and dtype, on ``device``.

    The outputs have ``dtype`` unless ``output_dtypes`` names another for them.
    """
    problems = []
    if len(outputs) != len(drawn.expected):
        problems.append(f'{len(outputs)} outputs, the reference has {len(drawn.expected)}')
    output_dtypes = output_dtypes or (dtype,) * len(drawn.expected)
    for i, (y, expected, y_dtype) in enumerate(zip(outputs, drawn.expected, output_dtypes)):
        if not isinstance(y, Variable):
            problems.append(f'output {i} is a {type(y).__name__}, not a Variable')
            continue
        problems += _array_problems(f'output {i}', y, expected.shape, y_dtype or dtype,
                                    device)
    for i, (g, x) in enumerate(zip(grads, arrays)):
        if g is not None:
            problems += _array_problems(f'gradient {i}', g, tuple(x.shape), dtype, device)
    if problems:
        return CheckResult('outputs', FAIL, '; '.join(problems))
    return CheckResult('outputs', PASS)


def _array_problems(what: str, v: Variable, shape: tuple[int, ...], dtype: str,
                    device: Device) -> list[str]:
    problems = []
    if tuple(v.shape) != tuple(shape):
        problems.append(f'{what} has shape {tuple(v.shape)}, expected {tuple(shape)}')
    host_dtype = to_host(v.array).dtype
    if host_dtype != numpy.dtype(dtype):
        problems.append(f'{what} has dtype {host_dtype}, expected {dtype}')
    on = get_device_from_array(v.array)
    if on != device or v.device != device:
        problems.append(f'{what} lives on {on} (Variable.device {v.device}), expected {device}')
    return problems


def forward_pass(args: Arguments) -> tuple[list[Variable], tuple[Any, ...]]:
    """Wraps the arrays in Variables and calls the function once."""
    variables = [Variable(a, requires_grad=not skip) for a, skip in zip(args.arrays,
                                                                         args.no_grads)]
    return variables, args.call(*variables)


def backward_pass(args: Arguments, variables: Sequence[Variable],
                  outputs: Sequence[Any]) -> list[Variable | None]:
    """The gradients of the differentiable inputs, by ``polychain.grad``."""
    targets = [v for v, skip in zip(variables, args.no_grads) if not skip]
    if not targets:
        return []
    grad_outputs = [Variable(g, requires_grad=False) for g in args.grad_outputs]
    return polychain.grad(list(outputs), targets, grad_outputs)


def check_first_order(args: Arguments, tolerance: Tolerance, seed: int,
                      device: Device) -> CheckResult:
    """``gradient_check.check_backward``; on failure, the worst element-wise gradient error."""
    def run() -> None:
        check_backward(args.call, tuple(args.arrays), tuple(args.grad_outputs),
                       eps=tolerance.eps, atol=tolerance.backward_atol,
                       rtol=tolerance.backward_rtol, no_grads=args.no_grads, seed=seed)

    function, arrays = _differentiable_call(args)
    return _gradient_check('backward', run, lambda: elementwise_gradient_errors(
        function, arrays, args.grad_outputs, tolerance.eps, device), tolerance)


def check_second_order(args: Arguments, tolerance: Tolerance, seed: int,
                       device: Device) -> CheckResult:
    """``gradient_check.check_double_backward``; on failure, the worst element-wise error."""
    def run() -> None:
        check_double_backward(args.call, tuple(args.arrays), tuple(args.grad_outputs),
                              tuple(args.grad_grad_inputs), eps=tolerance.eps,
                              atol=tolerance.backward_atol, rtol=tolerance.backward_rtol,
                              no_grads=args.no_grads, seed=seed)

    function, arrays = _differentiable_call(args)
    n_inputs = len(arrays)

    def first_order(*variables: Variable) -> tuple[Variable, ...]:
        xs, gys = list(variables[:n_inputs]), list(variables[n_inputs:])
        with polychain.force_backprop_mode():
            grads = polychain.grad(list(function(*xs)), xs, gys, enable_double_backprop=True)
        return tuple(g if g is not None else Variable(x.device.namespace.zeros_like(x.array))
                     for g, x in zip(grads, xs))

    return _gradient_check('double_backward', run, lambda: elementwise_gradient_errors(
        first_order, arrays + list(args.grad_outputs), args.grad_grad_inputs, tolerance.eps,
        device), tolerance)


def _gradient_check(name: str, run: Callable[[], None],
                    measure: Callable[[], tuple[float, float]],
                    tolerance: Tolerance) -> CheckResult:
    atol, rtol = tolerance.backward_atol, tolerance.backward_rtol
    try:
        run()
    except AssertionError as error:
        try:
            worst_abs, worst_rel = measure()
        except Exception as measuring:  # reported, not raised
            return CheckResult(name, FAIL, f'{error}; measuring element-wise errors failed: '
                               f'{describe_exception(measuring)}', atol=atol, rtol=rtol)
        return CheckResult(name, FAIL, f'{str(error).splitlines()[0]} (the max errors are '
                           f'element-wise, against numerical_grad)', worst_abs, worst_rel, atol,
                           rtol)
    except Exception as error:  # a crash of the function is a failure
        return CheckResult(name, FAIL, describe_exception(error), atol=atol, rtol=rtol)
    return CheckResult(name, PASS, atol=atol, rtol=rtol)


def _differentiable_call(args: Arguments) -> tuple[Callable[..., Any], list[Any]]:
    """The function of the differentiable inputs only (the others fixed), and those inputs."""
    fixed = [None if not skip else Variable(a, requires_grad=False)
             for a, skip in zip(args.arrays, args.no_grads)]
    arrays = [a for a, skip in zip(args.arrays, args.no_grads) if not skip]

    def function(*variables: Variable) -> tuple[Variable, ...]:
        given = iter(variables)
        return args.call(*[next(given) if f is None else f for f in fixed])

    return function, arrays


def elementwise_gradient_errors(function: Callable[..., Any], arrays: Sequence[Any],
                                grad_outputs: Sequence[Any], eps: float,
                                device: Device) -> tuple[float, float]:
    """Worst element-wise error of ``polychain.grad`` against ``numerical_grad`` (in float64)."""
    variables = [Variable(a) for a in arrays]
    outputs = function(*variables)
    analytic = polychain.grad(list(outputs), variables,
                              [Variable(g, requires_grad=False) for g in grad_outputs])
    float64 = [device.send(to_host(a).astype(numpy.float64)) for a in arrays]
    numeric = numerical_grad(lambda *xs: function(*[Variable(x) for x in xs]), float64,
                             grad_outputs, eps=eps)
    analytic_host = [numpy.zeros(tuple(a.shape)) if g is None else to_host(g.array)
                     for g, a in zip(analytic, arrays)]
    return error_stats(analytic_host, [to_host(n) for n in numeric])


def check_unmodified(args: Arguments) -> CheckResult:
    """No array given to the function (inputs, index arrays, gradients) was written to."""
    changed = [what for what, array, values in args.watched
               if not numpy.array_equal(to_host(array), values, equal_nan=True)]
    if changed:
        return CheckResult('inputs_unmodified', FAIL, f'modified in place: {", ".join(changed)}')
    return CheckResult('inputs_unmodified', PASS)


def check_cross_device(values: HostValues, reference: HostValues, reference_device: str,
                       tolerance: Tolerance) -> CheckResult:
    """Outputs and gradients agree with those of the same case on the reference device."""
    outputs = compare('cross_device', values.outputs, reference.outputs,
                      tolerance.forward_atol, tolerance.forward_rtol,
                      f'outputs and those on {reference_device}')
    if outputs.status != PASS:
        return outputs
    grads = compare('cross_device', values.grads, reference.grads, tolerance.backward_atol,
                    tolerance.backward_rtol, f'gradients and those on {reference_device}')
    if grads.status != PASS:
        return grads
    return CheckResult('cross_device', PASS,
                       max_abs_error=max(outputs.max_abs_error, grads.max_abs_error),
                       max_rel_error=max(outputs.max_rel_error, grads.max_rel_error))
