"""softmax_cross_entropy with soft targets: class probabilities instead of labels."""

from __future__ import annotations

from typing import Any

from polychain.backend import get_device_from_array
from polychain.functions.activation.softmax import log_softmax
from polychain.functions.math.sum import mean
from polychain.functions.math.sum import sum as sum_
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable

#: The losses between a soft target ``t`` and ``softmax(x)``.
SOFT_TARGET_LOSSES = ('cross-entropy', 'kl-divergence')


def soft_target_loss(x: Any, t: Any, reduce: str, loss: str) -> Variable:
    """The loss between the probabilities ``t`` and ``softmax(x)`` along axis 1.

    ``'cross-entropy'`` is ``-sum_c t_c log softmax(x)_c``; ``'kl-divergence'``
    subtracts the entropy of ``t`` from it (``0 log 0`` counts as 0). ``t`` is a
    constant: no gradient flows to it.

    Args:
        x: Unnormalised log probabilities, shape ``(N, C, ...)``.
        t: Target probabilities (an array of ``x``'s shape, or a Variable holding one).
        reduce: ``'mean'`` averages the loss over the samples and positions,
            ``'no'`` gives it of shape ``(N, ...)``.
        loss: One of :data:`SOFT_TARGET_LOSSES`.
    """
    if isinstance(t, Variable):
        t = t.array
    if tuple(t.shape) != tuple(x.shape):
        error = InvalidType('t.shape == x.shape (soft target)',
                            f't.shape == {tuple(t.shape)}, x.shape == {tuple(x.shape)}')
        error.set_function('softmax_cross_entropy')
        raise error
    log_y = log_softmax(x, axis=1)
    if loss == 'kl-divergence':
        xp = get_device_from_array(t).namespace
        log_t = xp.log(xp.where(t > 0, t, xp.ones_like(t)))
        result = -sum_((log_y - log_t) * t, axis=1)
    else:
        result = -sum_(log_y * t, axis=1)
    return mean(result) if reduce == 'mean' else result
