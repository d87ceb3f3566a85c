"""simplified_dropconnect: a linear layer whose weights are dropped at random."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.reshape import reshape
from polychain.functions.connection.linear import linear
from polychain.functions.math.matmul import matmul
from polychain.functions.noise.masks import as_variable, check_ratio, keep_mask
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def simplified_dropconnect(x: Any, W: Any, b: Any = None, ratio: float = .5,  # noqa: N803
                           train: bool = True, mask: Any = None,
                           use_batchwise_mask: bool = True) -> Variable:
    """Linear function ``y = x (W * mask / (1 - ratio))^T + b`` with a random weight mask.

    Each weight is dropped with probability ``ratio`` (the mask comes from
    the device's seeded generator); with ``train`` off no weight is dropped.

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
        A variable of shape ``(N, M)``.
    """
    check_ratio('simplified_dropconnect', ratio)
    x, W = as_variable(x), as_variable(W)
    if not train:
        ratio = 0.0
    x = reshape(x, (x.shape[0], -1))
    if W.ndim != 2 or W.shape[1] != x.shape[1]:
        error = InvalidType('W.shape == (M, x.size // x.shape[0])',
                            f'x.shape == {x.shape} (flattened), W.shape == {W.shape}')
        error.set_function('simplified_dropconnect')
        raise error
    xp = W.device.namespace
    if mask is None:
        shape = (x.shape[0],) + W.shape if use_batchwise_mask else W.shape
        mask = keep_mask(W.device, shape, W.dtype, ratio)
    elif isinstance(mask, Variable):
        mask = mask.array
    scaled = xp.astype(mask, W.dtype) * (1.0 / (1.0 - ratio))
    dropped = W * scaled
    if dropped.ndim == 2:
        return linear(x, dropped, b)
    y = reshape(matmul(dropped, reshape(x, x.shape + (1,))), (x.shape[0], W.shape[0]))
    return y if b is None else y + b
