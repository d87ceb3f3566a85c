"""negative_sampling: the word2vec loss of a positive label against sampled negative ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.functions.activation.softplus import softplus
from polychain.functions.array.cast import cast
from polychain.functions.array.reshape import expand_dims, reshape
from polychain.functions.connection.embed_id import embed_id
from polychain.functions.loss.input_checks import check_reduce
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import sum as sum_
from polychain.utils.dtypes import has_float_dtype
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable, as_variable

#: A label that takes no part in the loss (its loss is 0).
IGNORE_LABEL = -1


def _check_inputs(x: Variable, t: Any, W: Variable) -> None:  # noqa: N803
    if x.ndim != 2 or not has_float_dtype(x):
        raise InvalidType('x is a floating array of shape (B, D)',
                          f'x.shape == {x.shape}, x.dtype == {x.dtype}')
    if t.ndim != 1 or t.shape[0] != x.shape[0] or \
            not x.device.namespace.isdtype(t.dtype, 'integral'):
        raise InvalidType('t is an integer array of shape (B,) with B == x.shape[0]',
                          f't.shape == {t.shape}, t.dtype == {t.dtype}, x.shape == {x.shape}')
    if W.ndim != 2 or W.dtype != x.dtype or W.shape[1] != x.shape[1]:
        raise InvalidType('W has the shape (V, D) and the dtype of x',
                          f'W.shape == {W.shape}, W.dtype == {W.dtype}, x.shape == {x.shape}, '
                          f'x.dtype == {x.dtype}')


def _samples_with_labels(sampler: Callable[[tuple[int, int]], Any], t: Any,
                         sample_size: int) -> Any:
    """``(B, sample_size + 1)`` ids: the labels ``t``, then the negatives drawn by ``sampler``."""
    drawn = sampler((t.shape[0], sample_size + 1))
    xp = as_variable(drawn).device.namespace
    labels = xp.reshape(xp.astype(t, drawn.dtype), (t.shape[0], 1))
    return xp.concat([labels, drawn[:, 1:]], axis=1)


def negative_sampling(x: Any, t: Any, W: Any, sampler: Callable[[tuple[int, int]], Any],  # noqa: N803
                      sample_size: int, reduce: str = 'sum', *,
                      return_samples: bool = False) -> Variable | tuple[Variable, Any]:
    """Negative sampling loss: ``-log sigmoid(x . w_t) - sum_n log sigmoid(-x . w_n)``.

    The negatives ``n`` are ``sample_size`` ids per sample drawn by ``sampler``
    (a :class:`~polychain.utils.WalkerAlias`'s ``sample`` over the word
    frequencies raised to a power is the usual choice). Samples whose label is
    ``-1`` have a loss of 0. Float16 inputs are computed in float32.

    Args:
        x: Input vectors, shape ``(B, D)``.
        t: Labels, integer array of shape ``(B,)``.
        W: Weight matrix, shape ``(V, D)``, the dtype of ``x``.
        sampler: Takes a shape and returns an integer array of that shape on
            the device of ``x``.
        sample_size: Number of negative samples per input.
        reduce: ``'sum'`` for the sum of the losses, ``'no'`` for one per sample.
        return_samples: Also return the ``(B, sample_size + 1)`` id array whose
            first column holds ``t`` and the others the drawn negatives.

    Returns:
        The loss (a scalar, or shape ``(B,)`` with ``reduce='no'``), and with
        ``return_samples`` the sample array too.
    """
    check_reduce('negative_sampling', reduce, ('sum', 'no'))
    x, W = as_variable(x), as_variable(W)  # noqa: N806
    t = t.array if isinstance(t, Variable) else t
    _check_inputs(x, t, W)
    samples = _samples_with_labels(sampler, t, sample_size)
    dtype = x.dtype
    xp = x.device.namespace
    if xp.finfo(dtype).bits < 32:
        x, W = cast(x, xp.float32), cast(W, xp.float32)  # noqa: N806
    scores = reshape(matmul(embed_id(samples, W, ignore_label=IGNORE_LABEL),
                            expand_dims(x, 2)), samples.shape)
    loss = softplus(-scores[:, 0]) + sum_(softplus(scores[:, 1:]), axis=1)
    loss = loss * xp.astype(t != IGNORE_LABEL, x.dtype)
    if reduce == 'sum':
        loss = sum_(loss)
    if loss.dtype != dtype:
        loss = cast(loss, dtype)
    return (loss, samples) if return_samples else loss
