"""linear: y = x W^T + b."""

from __future__ import annotations

from typing import Any

from polychain.configuration import Unusual, config
from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.reshape import reshape
from polychain.utils.type_check import InvalidType, expect_count, expect_float
from polychain.variable import Variable


class LinearFunction(FunctionNode):
    """The affine map of a 2-D input by a weight (out, in) and an optional bias (out,)."""

    check_type_on_failure = True

    def check_type_forward(self, in_types):
        expect_count(in_types, (2, 3))
        x, w = in_types[:2]
        if x.ndim != 2 or w.ndim != 2 or x.shape[1] != w.shape[1]:
            raise InvalidType('x.ndim == 2, W.ndim == 2 and x.shape[1] == W.shape[1]',
                              f'x.shape == {x.shape}, W.shape == {w.shape}')
        expect_float(self.xp, x, 'x')
        expect_float(self.xp, w, 'W')
        if len(in_types) == 3:
            b = in_types[2]
            if b.shape != (w.shape[0],) or b.dtype != x.dtype:
                raise InvalidType(f'b.shape == ({w.shape[0]},) and b.dtype == x.dtype',
                                  f'b.shape == {b.shape}, b.dtype == {b.dtype}, '
                                  f'x.dtype == {x.dtype}')

    _retain_input_indexes = (0, 1)

    def forward(self, inputs):
        x, w = inputs[:2]
        if x.ndim != 2 or x.dtype != w.dtype or (len(inputs) == 3 and inputs[2].ndim != 1):
            if not Unusual.no_type_check or config.type_check:
                self.check_type_forward(tuple(_info(a) for a in inputs))
            y = _matmul_as(self.xp, x, w.T, x.dtype)
        else:
            y = x @ w.T
        if len(inputs) == 3:
            # y is a fresh array: the bias is added in place (a rebinding on
            # backends with immutable arrays).
            y += inputs[2]
        return y,

    def backward(self, indexes, grad_outputs):
        x, w = self.get_retained_inputs()
        return LinearGrad(indexes).apply((x, w, grad_outputs[0]))


class LinearGrad(FunctionNode):
    """The gradients of ``linear`` in the inputs at ``indexes`` (0: x, 1: W, 2: b).

    Its inputs are ``(x, W, gy)``; it has one output per index. One node
    computes all of them, which keeps a linear layer's backward to one call.
    """

    _retain_input_indexes = (0, 1, 2)

    def __init__(self, indexes: tuple[int, ...]) -> None:
        self.indexes = indexes

    def forward(self, inputs):
        x, w, gy = inputs
        xp = self.xp
        grads = []
        for i in self.indexes:
            if i == 0:
                grads.append(gy @ w if w.dtype == gy.dtype else _matmul_as(xp, gy, w, x.dtype))
            elif i == 1:
                grads.append(gy.T @ x if x.dtype == w.dtype
                             else _matmul_as(xp, gy.T, x, w.dtype))
            else:
                grads.append(xp.sum(gy, axis=0))
        return tuple(grads)

    def backward(self, indexes, grad_outputs):
        x, w, gy = self.get_retained_inputs()
        by_input = dict(zip(self.indexes, grad_outputs))
        ggx, ggw, ggb = by_input.get(0), by_input.get(1), by_input.get(2)
        grads = []
        for i in indexes:
            if i == 0:
                # gy ggW, in x's dtype: the x-gradient of a linear map by ggW.
                grads.append(None if ggw is None else LinearGrad((0,)).apply((x, ggw, gy))[0])
            elif i == 1:
                # gy^T ggx, in W's dtype: the W-gradient of a linear map of ggx.
                grads.append(None if ggx is None else LinearGrad((1,)).apply((ggx, w, gy))[0])
            else:
                grads.append(_sum_of([
                    None if ggx is None else linear(ggx, w),
                    None if ggw is None else linear(x, ggw),
                    None if ggb is None else broadcast_to(ggb, gy.shape)]))
        return tuple(grads)


def _sum_of(terms: list[Variable | None]) -> Variable | None:
    """The sum of the terms that are not ``None`` (``None`` when all are)."""
    total = None
    for term in terms:
        if term is not None:
            total = term if total is None else total + term
    return total


def _matmul_as(xp: Any, a: Any, b: Any, dtype: Any) -> Any:
    """``a @ b`` of operands of different float dtypes, computed in their common
    dtype and cast to ``dtype`` (Chainer's rule for mixed-precision weights)."""
    common = xp.result_type(a.dtype, b.dtype)
    y = xp.astype(a, common, copy=False) @ xp.astype(b, common, copy=False)
    return xp.astype(y, dtype, copy=False)


def _info(a: Any) -> Any:
    from polychain.utils.type_check import TypeInfo
    return TypeInfo(tuple(a.shape), a.dtype)


def linear(x: Any, W: Any, b: Any = None, n_batch_axes: int = 1) -> Variable:  # noqa: N803
    """Affine map ``y = x W^T + b``.

    Args:
        x: Input of shape ``(batch..., in...)``; axes after the first
            ``n_batch_axes`` are flattened into one.
        W: Weight of shape ``(out, in)``.
        b: Bias of shape ``(out,)``, or ``None``.
        n_batch_axes: How many leading axes of ``x`` are batch axes.

    Returns:
        A variable of shape ``(batch..., out)``.
    """
    if n_batch_axes < 1:
        raise ValueError(f'linear: expected n_batch_axes >= 1, received {n_batch_axes}')
    ndim = getattr(x, 'ndim', None)
    if ndim is None or (ndim == 2 and n_batch_axes == 1):
        # A list too: apply rejects it with the message every function gives.
        return LinearFunction().apply((x, W) if b is None else (x, W, b))[0]
    batch_shape = tuple(x.shape[:n_batch_axes])
    batch = 1
    for n in batch_shape:
        batch *= n
    x = reshape(x, (batch, -1))
    y = LinearFunction().apply((x, W) if b is None else (x, W, b))[0]
    if n_batch_axes != 1:
        y = reshape(y, batch_shape + (y.shape[-1],))
    return y
