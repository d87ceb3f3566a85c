"""select_item: one element per row, chosen by an index."""

from __future__ import annotations

from typing import Any

from polychain.backend import get_device_from_array
from polychain.functions.array._index_range import check_index_range
from polychain.functions.array.get_item import get_item
from polychain.functions.array.reshape import reshape
from polychain.variable import Variable


def select_item(x: Any, t: Any) -> Variable:
    """``y[i] = x[i, t[i]]``.

    Args:
        x: Input variable or array of shape ``(B, N)``.
        t: Integer array (or Variable) of shape ``(B,)`` with values in ``[0, N)``.

    Raises:
        ValueError: Shapes that do not fit.
        IndexError: ``t`` out of range (also the ValueError of Chainer's debug mode).
    """
    if isinstance(t, Variable):
        t = t.array
    if x.ndim != 2 or t.ndim != 1 or t.shape[0] != x.shape[0]:
        raise ValueError(f'select_item: expected x of shape (B, N) and t of shape (B,), '
                         f'received x of shape {tuple(x.shape)} and t of shape '
                         f'{tuple(t.shape)}')
    device = x.device if isinstance(x, Variable) else get_device_from_array(x)
    t = device.send(t)
    check_index_range(device.namespace, t, x.shape[1], 'select_item', 't')
    batch, n = x.shape
    rows = device.namespace.arange(batch, dtype=t.dtype, device=device.native)
    return get_item(reshape(x, (batch * n,)), rows * n + t)
