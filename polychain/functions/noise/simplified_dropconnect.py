"""simplified_dropconnect: a linear layer whose weights are dropped at random."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.array.cast import cast
from polychain.functions.array.reshape import reshape
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import sum
from polychain.functions.noise.masks import check_ratio, keep_mask
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


class SimplifiedDropconnect(FunctionNode):
    """``y = x (W * scale)^T + b`` for 2-D ``x``; ``scale`` is ``(M, K)`` or ``(N, M, K)``.

    Attributes:
        mask: The 0/1 keep-mask applied (drawn in forward unless given).
    """

    def __init__(self, ratio: float, mask: Any = None, use_batchwise_mask: bool = True
                 ) -> None:
        self.ratio = ratio
        self.mask = mask
        self.use_batchwise_mask = use_batchwise_mask

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, W = inputs[:2]
        xp = self.xp
        if self.mask is None:
            shape = (x.shape[0],) + tuple(W.shape) if self.use_batchwise_mask else W.shape
            self.mask = keep_mask(self.device, tuple(shape), W.dtype, self.ratio)
        elif tuple(self.mask.shape) not in (tuple(W.shape), (x.shape[0],) + tuple(W.shape)):
            raise InvalidType(f'mask.shape == W.shape == {tuple(W.shape)} or mask.shape == '
                              f'(x.shape[0],) + W.shape == {(x.shape[0],) + tuple(W.shape)}',
                              f'mask.shape == {tuple(self.mask.shape)}')
        self.scale = xp.astype(self.mask, W.dtype) * (1.0 / (1.0 - self.ratio))
        w = xp.astype(W * self.scale, x.dtype)
        if w.ndim == 2:
            y = xp.matmul(x, xp.matrix_transpose(w))
        else:
            y = xp.matmul(w, x[:, :, None])[:, :, 0]
        if len(inputs) == 3:
            y = y + xp.astype(inputs[2], x.dtype)
        return y,

    def backward(self, indexes, grad_outputs):
        x, W = self.get_retained_inputs()
        gy, = grad_outputs
        w = cast(W * self.scale, x.dtype)
        grads = []
        for i in indexes:
            if i == 0:
                g = matmul(gy, w) if w.ndim == 2 else \
                    reshape(matmul(reshape(gy, gy.shape[:1] + (1, -1)), w), x.shape)
            elif i == 1:
                outer = matmul(gy, x, transa=True) if w.ndim == 2 else \
                    matmul(reshape(gy, gy.shape + (1,)), reshape(x, x.shape[:1] + (1, -1)))
                g = cast(outer, W.dtype) * self.scale
                if g.ndim == 3:
                    g = sum(g, axis=0)
            else:
                g = sum(gy, axis=0)
            grads.append(g)
        return tuple(grads)


def simplified_dropconnect(x: Any, W: Any, b: Any = None, ratio: float = .5,  # noqa: N803
                           train: bool = True, mask: Any = None,
                           use_batchwise_mask: bool = True) -> Variable:
    """Linear function ``y = x (W * mask / (1 - ratio))^T + b`` with a random weight mask.

    Each weight is dropped with probability ``ratio`` (the mask comes from
    the device's seeded generator); with ``train`` off no weight is dropped.
    The output has the dtype of ``x``; ``W`` may have another float dtype.

    Args:
        x: Input, shape ``(N, ...)``, flattened to ``(N, K)``.
        W: Weights, shape ``(M, K)``.
        b: Bias, shape ``(M,)``, or ``None``.
        ratio: The probability of dropping a weight, in ``[0, 1)``.
        train: Whether weights are dropped.
        mask: A 0/1 mask ``(N, M, K)`` or ``(M, K)`` to use instead of a random
            one (``use_batchwise_mask`` is then not used).
        use_batchwise_mask: Draw one mask per sample (``(N, M, K)``) rather than
            one for the whole batch.

    Returns:
        A variable of shape ``(N, M)``; its creator's ``mask`` is the mask applied.
    """
    check_ratio('simplified_dropconnect', ratio)
    if not train:
        ratio = 0.0
    x = reshape(x, (x.shape[0], -1))
    if W.ndim != 2 or W.shape[1] != x.shape[1]:
        error = InvalidType('W.shape == (M, x.size // x.shape[0])',
                            f'x.shape == {x.shape} (flattened), W.shape == {W.shape}')
        error.set_function('simplified_dropconnect')
        raise error
    if isinstance(mask, Variable):
        mask = mask.array
    inputs = (x, W) if b is None else (x, W, b)
    return SimplifiedDropconnect(ratio, mask, use_batchwise_mask).apply(inputs)[0]
