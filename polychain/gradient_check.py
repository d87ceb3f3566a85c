"""Checking gradients against numerical differences, on any backend.

The numerical side is evaluated in float64 on the device of the inputs (or in
the ``dtype`` asked for); the analytical side uses the inputs' own dtype.
Arrays are never written in place (backends such as JAX have immutable arrays).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy

from polychain.backend.registry import get_device_from_array, to_host
from polychain.backprop import grad
from polychain.configuration import using_config
from polychain.utils.dtypes import has_float_dtype
from polychain.variable import Variable


class NondifferentiableError(Exception):
    """The function is not differentiable at the point where it was checked."""


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def _astype(array: Any, dtype: Any) -> Any:
    """``array`` cast to ``dtype`` given by name or NumPy dtype, in the backend's own dtype."""
    xp = get_device_from_array(array).namespace
    return xp.astype(array, getattr(xp, numpy.dtype(dtype).name))


def _like(g: Any, y: Any) -> Any:
    """Output gradient array ``g`` in the dtype of output ``y`` (functions may change dtypes)."""
    return g if g.dtype == y.dtype else get_device_from_array(g).namespace.astype(g, y.dtype)


def _cast_like(gy: Variable, y: Variable) -> Variable:
    """Differentiable cast of an output-gradient Variable to the dtype of output ``y``."""
    if gy.dtype == y.dtype:
        return gy
    from polychain.functions import cast
    return cast(gy, y.dtype)


def numerical_grad(f: Callable[..., Any], inputs: Sequence[Any], grad_outputs: Sequence[Any],
                   eps: float = 1e-3, detect_nondifferentiable: bool = False,
                   diff_atol: float = 0, diff_rtol: float = 1e-2,
                   center_outputs: Sequence[Any] | None = None) -> tuple[Any, ...]:
    """Element-wise central-difference gradients of ``sum(grad_outputs * f())``.

    As in Chainer, ``f`` takes no arguments and reads ``inputs``, which are
    perturbed in place (and restored) one element at a time; this needs
    arrays that can be written (not JAX's). A function that takes the inputs
    as arguments instead gets perturbed copies, on any backend.

    Args:
        f: Returns an array, a Variable, a scalar, or a tuple of them.
        inputs: Input arrays.
        grad_outputs: One array, scalar or ``None`` per output of ``f``.
        eps: The step (positive).
        detect_nondifferentiable: Also evaluate ``f`` at ``x ± eps / 2`` and
            raise :class:`NondifferentiableError` where the outputs do not
            follow a quadratic in the step, or are finite at some of the
            points only.
        diff_atol: Absolute tolerance of that fit.
        diff_rtol: Tolerance of that fit relative to how much the output
            varies over the points.
        center_outputs: The outputs of ``f`` at the inputs, if known.

    Returns:
        One array per input, on the input's device and in its dtype.
    """
    if not eps > 0:
        raise AssertionError(f'numerical_grad: eps must be positive, received {eps}')
    inputs = list(inputs)
    gys = [None if g is None else _host64(g) for g in grad_outputs]
    evaluate = _Perturbation(f, inputs)
    steps = (-1.0, -0.5, 0.5, 1.0) if detect_nondifferentiable else (-1.0, 1.0)
    center = None
    if detect_nondifferentiable:
        center = [_host64(y) for y in (_as_tuple(center_outputs) if center_outputs is not None
                                       else _as_tuple(f(*evaluate.arguments())))]
    grads = []
    for k, x in enumerate(inputs):
        host = to_host(x)
        g = numpy.zeros(host.shape, dtype=numpy.float64)
        for index in numpy.ndindex(*host.shape):
            base = host[index].item()
            outputs = {step: evaluate(k, index, base, step * eps) for step in steps}
            if detect_nondifferentiable:
                points = [outputs[-1.0], outputs[-0.5], center, outputs[0.5], outputs[1.0]]
                _check_differentiable(points, diff_atol, diff_rtol, k, index, eps)
            total = 0.0
            for y_plus, y_minus, gy in zip(outputs[1.0], outputs[-1.0], gys):
                if gy is not None:
                    total += float(numpy.sum((y_plus - y_minus) * gy))
            g[index] = total / (2 * eps)
        grads.append(get_device_from_array(x).send(g.astype(host.dtype)))
    return tuple(grads)


def _host64(value: Any) -> numpy.ndarray:
    """A float64 host copy of an array, a Variable or a scalar."""
    if isinstance(value, Variable):
        value = value.array
    if hasattr(value, 'shape') and not isinstance(value, numpy.generic):
        value = to_host(value)
    return numpy.array(value, dtype=numpy.float64)


class _Perturbation:
    """Evaluates ``f`` with one element of one input moved (in place, or on a copy)."""

    def __init__(self, f: Callable[..., Any], inputs: list[Any]) -> None:
        self.f = f
        self.inputs = inputs
        self.in_place = not inspect.signature(f).parameters

    def arguments(self) -> list[Any]:
        return [] if self.in_place else self.inputs

    def __call__(self, k: int, index: tuple[int, ...], base: float,
                 delta: float) -> list[numpy.ndarray]:
        x = self.inputs[k]
        if not self.in_place:
            shifted = get_device_from_array(x).backend.index_update(x, index, base + delta)
            arguments = self.inputs[:k] + [shifted] + self.inputs[k + 1:]
            return [_host64(y) for y in _as_tuple(self.f(*arguments))]
        try:
            x[index] = base + delta
        except TypeError as error:
            raise TypeError(f'numerical_grad: f takes no arguments, so the inputs are '
                            f'perturbed in place, which arrays of '
                            f'{get_device_from_array(x)} do not allow ({error}); give f the '
                            f'inputs as arguments instead') from None
        try:
            return [_host64(y) for y in _as_tuple(self.f())]
        finally:
            x[index] = base


def _check_differentiable(points: list[list[numpy.ndarray]], atol: float, rtol: float,
                          k: int, index: tuple[int, ...], eps: float) -> None:
    """Raises NondifferentiableError unless the outputs at five evenly spaced points follow a
    quadratic (elements that are not finite at every point must be so at every point)."""
    ts = numpy.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    for i_out in range(len(points[0])):
        ys = numpy.stack([p[i_out].ravel() for p in points])
        finite = numpy.isfinite(ys)
        if not (finite.all(axis=0) | ~finite.any(axis=0)).all():
            raise NondifferentiableError(
                f'numerical_grad: output {i_out} is finite at some of the points around '
                f'input {k}{list(index)} only (eps {eps})')
        ys = ys[:, finite.all(axis=0)]
        if ys.size == 0:
            continue
        coefficients = numpy.polynomial.polynomial.polyfit(ts, ys, 2)
        fitted = numpy.polynomial.polynomial.polyval(ts, coefficients).T.reshape(ys.shape)
        residual = numpy.sqrt(numpy.mean((ys - fitted) ** 2, axis=0))
        # The last term covers the rounding of the fit itself (a constant output fits exactly).
        tolerance = atol + rtol * (ys.max(axis=0) - ys.min(axis=0)) + \
            1e-12 * numpy.abs(ys).max(axis=0)
        bad = residual > tolerance
        if bad.any():
            raise NondifferentiableError(
                f'numerical_grad: output {i_out} does not follow a quadratic around input '
                f'{k}{list(index)} (eps {eps}): residual {residual[bad].max()} > tolerance '
                f'{tolerance[bad].max()}; the function is not differentiable there, or eps is '
                f'too large')


def check_backward(func: Callable[..., Any], x_data: Any, y_grad: Any, params: Sequence[Any] = (),
                   eps: float = 1e-3, atol: float = 1e-5, rtol: float = 1e-4,
                   no_grads: Sequence[bool] | None = None, dtype: Any = None,
                   detect_nondifferentiable: bool = False, loss_scale: float | None = None,
                   seed: int | None = None) -> None:
    """Checks the backward of ``func`` against a numerical directional derivative.

    A random direction ``d`` over all differentiable inputs and parameters is
    drawn; the analytical ``sum(grad . d)`` must match the central difference
    of ``sum(y_grad * func(x + t d))`` at ``t = 0``, computed in float64.

    Args:
        func: Takes Variables (one per array in ``x_data``), returns a
            Variable or a tuple of them.
        x_data: An array or a tuple of arrays.
        y_grad: The output gradient(s); ``None`` for a single one-element output.
        params: Parameters (Variables) used by ``func`` that are checked too.
        eps: Step of the numerical difference.
        atol: Absolute tolerance.
        rtol: Relative tolerance.
        no_grads: Per input, ``True`` to skip its gradient (integer inputs are
            always skipped).
        dtype: The dtype floating inputs and parameters are cast to for the
            numerical pass (default float64; give the inputs' dtype when
            ``func`` mixes them with constants of that dtype).
        detect_nondifferentiable: Raise :class:`NondifferentiableError` when the
            one-sided differences disagree (``func`` has a kink there).
        loss_scale: Passed to the backward computation.
        seed: Seed of the random direction.

    Raises:
        AssertionError: The gradients differ; the message names both values.
    """
    xs = list(_as_tuple(x_data))
    gys = list(_as_tuple(y_grad))
    params = list(_as_tuple(params))
    if no_grads is None:
        no_grads = [not has_float_dtype(x) for x in xs]
    elif len(no_grads) != len(xs):
        raise ValueError(f'check_backward: expected {len(xs)} no_grads entries, received '
                         f'{len(no_grads)}')
    checked = [i for i, skip in enumerate(no_grads) if not skip]
    # Every input requires a gradient, so that a backward that computes one for an input
    # of ``no_grads`` is caught.
    variables = [Variable(x) for x in xs]
    originals = [p.array for p in params]
    try:
        outputs = _as_tuple(func(*variables))
        # a parameter created lazily by that first call is checked with its new array
        originals = [p.array if a is None else a for p, a in zip(params, originals)]
        # Without y_grad every output gets ones (a loss); a None entry of a given y_grad
        # means no gradient flows from that output (its backward receives None).
        flowing = [k for k, g in enumerate(gys) if g is not None] if gys \
            else list(range(len(outputs)))
        if not gys:
            gys = [None] * len(outputs)
        if len(gys) != len(outputs):
            raise ValueError(f'check_backward: func returned {len(outputs)} outputs but '
                             f'{len(gys)} y_grad arrays were given')
        grad_outputs = [None if gys[k] is None else
                        Variable(_like(gys[k], outputs[k]), requires_grad=False)
                        for k in flowing]
        all_grads = grad([outputs[k] for k in flowing], variables + params, grad_outputs,
                         loss_scale=loss_scale) if flowing else [None] * len(variables + params)
        for i, skip in enumerate(no_grads):
            if skip and all_grads[i] is not None:
                raise RuntimeError(f'check_backward: backward computed a gradient of input {i}, '
                                   f'which no_grads (or its integer dtype) says has none')
        analytic_grads = [all_grads[i] for i in checked] + all_grads[len(xs):]
    finally:
        for p, array in zip(params, originals):
            p.array = array

    numeric_dtype = 'float64' if dtype is None else dtype
    rng = numpy.random.default_rng(seed)
    bases = [xs[i] for i in checked] + originals
    directions = [numpy.asarray(rng.normal(size=tuple(b.shape))) for b in bases]
    norm = numpy.sqrt(sum(float(numpy.sum(d * d)) for d in directions)) or 1.0
    directions = [d / norm for d in directions]

    analytic = 0.0
    for g, d in zip(analytic_grads, directions):
        if g is not None:
            analytic += float(numpy.sum(to_host(g.array).astype(numpy.float64) * d))
    if loss_scale is not None:
        analytic /= loss_scale

    host_gys = [None if g is None else to_host(g).astype(numpy.float64) for g in gys]
    base64 = [_astype(b, numeric_dtype) for b in bases]
    float_xs = [_astype(x, numeric_dtype) if has_float_dtype(x) else x for x in xs]

    def objective(t: float) -> float:
        # asarray: NumPy's 0-d arithmetic gives scalars, functions expect arrays.
        shifted = [get_device_from_array(b).namespace.asarray(
            b + get_device_from_array(b).send((t * d).astype(numeric_dtype)))
            for b, d in zip(base64, directions)]
        inputs = list(float_xs)
        for i, value in zip(checked, shifted):
            inputs[i] = value
        for p, value in zip(params, shifted[len(checked):]):
            p.array = value
        try:
            # As in Chainer, the numerical pass does not check types (the inputs may be
            # float64 while the parameters of a link keep their own dtype) and records the
            # graph as usual (a function under test may read its outputs' creator).
            with using_config('type_check', False):
                outs = _as_tuple(func(*[Variable(x, requires_grad=not skip)
                                        for x, skip in zip(inputs, no_grads)]))
        finally:
            for p, array in zip(params, originals):
                p.array = array
        total = 0.0
        for y, gy in ((outs[k], host_gys[k]) for k in flowing):
            y = to_host(y.array if isinstance(y, Variable) else y).astype(numpy.float64)
            total += float(numpy.sum(y if gy is None else y * gy))
        return total

    plus, minus = objective(eps), objective(-eps)
    numeric = (plus - minus) / (2 * eps)
    if detect_nondifferentiable:
        center = objective(0.0)
        right, left = (plus - center) / eps, (center - minus) / eps
        if abs(right - left) > 10 * (atol + rtol * max(abs(right), abs(left))) + eps:
            raise NondifferentiableError(f'check_backward: one-sided derivatives differ '
                                         f'({left} from the left, {right} from the right)')
    if not abs(numeric - analytic) <= atol + rtol * abs(numeric):
        name = getattr(func, '__name__', repr(func))
        raise AssertionError(
            f'check_backward failed for {name}: the directional derivative from backward is '
            f'{analytic!r}, the numerical one is {numeric!r} (difference '
            f'{abs(numeric - analytic)!r} > atol {atol} + rtol {rtol} * |numerical|); input '
            f'shapes {[tuple(x.shape) for x in xs]}, eps {eps}, seed {seed}')


def check_double_backward(func: Callable[..., Any], x_data: Any, y_grad: Any, x_grad_grad: Any,
                          params: Sequence[Any] = (), params_grad_grad: Any = (),
                          eps: float = 1e-3, atol: float = 1e-4, rtol: float = 1e-3,
                          no_grads: Sequence[bool] | None = None, dtype: Any = None,
                          detect_nondifferentiable: bool = False,
                          seed: int | None = None) -> None:
    """Checks second-order gradients: ``check_backward`` of the first-order gradient.

    The first-order gradient function takes ``x_data + y_grad`` and returns the
    gradients of the inputs (and ``params``), computed with double backprop;
    it is then checked with ``x_grad_grad + params_grad_grad`` as its output
    gradients.

    Args:
        func: As in :func:`check_backward`.
        x_data: An array or a tuple of arrays.
        y_grad: The output gradient(s).
        x_grad_grad: Gradients of the first-order input gradients.
        params: Parameters used by ``func``.
        params_grad_grad: Gradients of the first-order parameter gradients.
        eps, atol, rtol, no_grads, dtype, detect_nondifferentiable, seed: As in
            :func:`check_backward`.
    """
    xs = _as_tuple(x_data)
    gys = _as_tuple(y_grad)
    n_x = len(xs)
    if no_grads is None:
        no_grads = [not has_float_dtype(x) for x in xs]
    differentiable = [i for i, skip in enumerate(no_grads) if not skip]

    def first_order_grad(*inputs: Variable) -> tuple[Variable, ...]:
        with using_config('enable_backprop', True):
            variables = list(inputs[:n_x])
            outputs = _as_tuple(func(*variables))
            targets = [variables[i] for i in differentiable] + list(_as_tuple(params))
            grad_outputs = [_cast_like(gy, y) for gy, y in zip(inputs[n_x:], outputs)]
            grads = grad(list(outputs), targets, grad_outputs or None,
                         enable_double_backprop=True)
        return tuple(g if g is not None else Variable(
            t.device.namespace.zeros_like(t.array), requires_grad=False)
            for g, t in zip(grads, targets))

    check_backward(first_order_grad, xs + gys,
                   _as_tuple(x_grad_grad) + _as_tuple(params_grad_grad), _as_tuple(params), eps=eps,
                   atol=atol, rtol=rtol, no_grads=list(no_grads) + [False] * len(gys),
                   dtype=dtype, detect_nondifferentiable=detect_nondifferentiable, seed=seed)


def __getattr__(name: str) -> Any:
    # Chainer's gradient_check.assert_allclose is testing's; loaded on use, since
    # polychain.testing is not imported with polychain.
    if name == 'assert_allclose':
        from polychain.testing.array import assert_allclose
        return assert_allclose
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
