"""embed_id: rows of an embedding matrix looked up by integer ids."""

from __future__ import annotations

from typing import Any

from array_api_compat import device as native_device

from polychain.function_node import FunctionNode
from polychain.functions.array._index_range import check_index_range
from polychain.utils.type_check import InvalidType, expect_count
from polychain.variable import Variable


def _safe_ids(xp: Any, x: Any, ignore_label: int | None) -> tuple[Any, Any]:
    """The ids with ``ignore_label`` replaced by 0, and the mask of ignored ids (or None)."""
    if ignore_label is None:
        return x, None
    mask = x == ignore_label
    return xp.where(mask, xp.zeros_like(x), x), mask


def _zero_ignored(xp: Any, y: Any, mask: Any) -> Any:
    """``y`` (ids shape + (n_out,)) with the rows of ignored ids set to zero."""
    if mask is None:
        return y
    return xp.where(mask[..., None], xp.zeros((), dtype=y.dtype, device=native_device(y)), y)


class EmbedIDFunction(FunctionNode):
    """``W[x]``; rows of ids equal to ``ignore_label`` are zero."""

    check_type_on_failure = True
    _retain_input_indexes = (0,)

    def __init__(self, ignore_label: int | None = None) -> None:
        self.ignore_label = ignore_label

    def check_type_forward(self, in_types):
        expect_count(in_types, 2)
        x, w = in_types
        if not self.xp.isdtype(x.dtype, 'integral'):
            raise InvalidType('x.dtype.kind == "i"', f'x.dtype == {x.dtype}')
        if w.ndim != 2:
            raise InvalidType('W.ndim == 2', f'W.ndim == {w.ndim}')

    def forward(self, inputs):
        x, w = inputs
        xp = self.xp
        if w.ndim != 2 or not xp.isdtype(x.dtype, 'integral'):
            raise TypeError(f'embed_id: expected integer ids x and a 2-D W, received x of '
                            f'dtype {x.dtype} and W of shape {tuple(w.shape)}')
        ids, mask = _safe_ids(xp, x, self.ignore_label)
        check_index_range(xp, ids, w.shape[0], 'embed_id', 'ids x')
        rows = xp.take(w, xp.reshape(ids, (-1,)), axis=0)
        y = xp.reshape(rows, tuple(x.shape) + (w.shape[1],))
        self._w_shape = tuple(w.shape)
        return _zero_ignored(xp, y, mask),

    def backward(self, indexes, grad_outputs):
        x = self._retained_input_data[0]
        gw = EmbedIDGrad(self._w_shape, self.ignore_label).apply((x, grad_outputs[0]))[0]
        return None, gw


class EmbedIDGrad(FunctionNode):
    """The gradient of ``W`` in :class:`EmbedIDFunction`: ``gy`` rows added at the ids."""

    _retain_input_indexes = (0,)

    def __init__(self, w_shape: tuple[int, int], ignore_label: int | None) -> None:
        self.w_shape = w_shape
        self.ignore_label = ignore_label

    def forward(self, inputs):
        x, gy = inputs
        xp = self.xp
        ids, mask = _safe_ids(xp, x, self.ignore_label)
        gy = _zero_ignored(xp, gy, mask)
        gw = xp.zeros(self.w_shape, dtype=gy.dtype, device=native_device(gy))
        return self.device.backend.scatter_add(
            gw, xp.reshape(ids, (-1,)), xp.reshape(gy, (-1, self.w_shape[1]))),

    def backward(self, indexes, grad_outputs):
        x = self._retained_input_data[0]
        return None, embed_id(x, grad_outputs[0], self.ignore_label)


def embed_id(x: Any, W: Any, ignore_label: int | None = None) -> Variable:  # noqa: N803
    """Efficient linear function for one-hot input: looks up rows of ``W`` by id.

    ``y[..., :] = W[x[...], :]``; the output rows of ids equal to
    ``ignore_label`` are zero and get no gradient. Other ids outside
    ``[0, len(W))`` (negative ones too) raise an IndexError that is also the
    ValueError of Chainer's debug mode.

    Args:
        x: Integer ids of any shape (a Variable or an array).
        W: Embedding matrix of shape ``(n_vocab, n_out)``.
        ignore_label: An id whose rows are zero, or ``None``.

    Returns:
        A variable of shape ``x.shape + (n_out,)``.
    """
    if ignore_label is not None and (isinstance(ignore_label, bool)
                                     or not isinstance(ignore_label, int)):
        raise TypeError(f'embed_id: expected ignore_label to be an int or None, received '
                        f'{ignore_label!r}')
    return EmbedIDFunction(ignore_label).apply((x, W))[0]
