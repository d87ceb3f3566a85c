"""black_out: the BlackOut loss, a softmax over the label and sampled negatives."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.reshape import expand_dims, reshape
from polychain.functions.connection.embed_id import embed_id
from polychain.functions.loss.input_checks import check_reduce
from polychain.functions.math.exponential import exp
from polychain.functions.math.logarithm import log1p
from polychain.functions.math.logsumexp import logsumexp
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import mean
from polychain.functions.math.sum import sum as sum_
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable, as_variable


def black_out(x: Any, t: Any, W: Any, samples: Any, reduce: str = 'mean') -> Variable:  # noqa: N803
    """BlackOut loss: ``-log p(t) - sum_{s in samples} log(1 - p(s))``.

    ``p(y) = exp(W[y] . x) / Z`` with ``Z`` summing ``exp(W[s] . x)`` over the
    label ``t`` and the negative samples of the input.

    Args:
        x: Input vectors, shape ``(N, D)``.
        t: Labels, integer array of shape ``(N,)``.
        W: Weight matrix, shape ``(V, D)``.
        samples: Negative samples, integer array (or Variable) of shape ``(N, S)``.
        reduce: ``'mean'`` for the mean of the losses, ``'no'`` for one per input.

    Returns:
        A scalar variable, or one of shape ``(N,)`` with ``reduce='no'``.
    """
    check_reduce('black_out', reduce, ('mean', 'no'))
    x, W = as_variable(x), as_variable(W)  # noqa: N806
    t = t.array if isinstance(t, Variable) else t
    samples = samples.array if isinstance(samples, Variable) else samples
    if x.ndim != 2 or t.shape != x.shape[:1] or samples.ndim != 2 or \
            samples.shape[0] != x.shape[0] or W.ndim != 2 or W.shape[1] != x.shape[1]:
        raise InvalidType('x: (N, D), t: (N,), W: (V, D), samples: (N, S)',
                          f'x: {x.shape}, t: {t.shape}, W: {W.shape}, samples: {samples.shape}')
    xp = x.device.namespace
    ids = xp.concat([xp.reshape(xp.astype(t, samples.dtype), (-1, 1)), samples], axis=1)
    scores = reshape(matmul(embed_id(ids, W), expand_dims(x, 2)), ids.shape)
    log_p = scores - expand_dims(logsumexp(scores, axis=1), 1)
    loss = -(log_p[:, 0] + sum_(log1p(-exp(log_p[:, 1:])), axis=1))
    return mean(loss) if reduce == 'mean' else loss
