"""Sparse matrices in coordinate format (Chainer's ``utils.CooMatrix``, ``to_coo``, ``get_order``).

A matrix, or a batch of matrices, is held as its nonzero values with their row
and column indices. Batches pad their entries to a common length with index
``-1`` and value ``0``.
"""

from __future__ import annotations

from typing import Any

from polychain.backend import get_device_from_array
from polychain.variable import Variable


class CooMatrix:
    """A sparse matrix (or a batch of them) in coordinate format.

    Args:
        data: The values, of shape ``(nnz,)`` or ``(batch, nnz)``; held as a
            Variable, so that a function such as ``sparse_matmul`` can
            differentiate with respect to them.
        row: The row index of each value, of the shape of ``data``.
        col: The column index of each value, of the shape of ``data``.
        shape: The shape ``(rows, columns)`` of one matrix.
        order: ``'C'`` when the entries are sorted by row then column, ``'F'``
            by column then row, ``'other'`` otherwise; ``None`` finds it out.
        requires_grad: Whether the data Variable requires a gradient.
    """

    def __init__(self, data: Any, row: Any, col: Any, shape: tuple[int, int],
                 order: str | None = None, requires_grad: bool = False) -> None:
        if not 1 <= data.ndim <= 2:
            raise ValueError(f'CooMatrix: expected data of 1 or 2 dimensions, received shape '
                             f'{tuple(data.shape)}')
        if tuple(data.shape) != tuple(row.shape) or tuple(data.shape) != tuple(col.shape):
            raise ValueError(f'CooMatrix: expected data, row and col of one shape, received '
                             f'{tuple(data.shape)}, {tuple(row.shape)} and {tuple(col.shape)}')
        if len(shape) != 2:
            raise ValueError(f'CooMatrix: expected the shape of a matrix, received {shape}')
        self.data = data if isinstance(data, Variable) else Variable(
            data, requires_grad=requires_grad)
        self.row = row
        self.col = col
        self.shape = tuple(shape)
        if order is None:
            order = get_order(row, col)
        elif order not in ('C', 'F', 'other'):
            raise ValueError(f"CooMatrix: expected order 'C', 'F', 'other' or None, received "
                             f'{order!r}')
        self.order = order

    def to_dense(self) -> Any:
        """The dense array, of shape ``shape`` or ``(batch,) + shape``; duplicates add up."""
        data = self.data.array
        device = get_device_from_array(data)
        xp = device.namespace
        kept = xp.where((self.row >= 0) & (self.col >= 0), data, xp.zeros_like(data))
        indices: tuple[Any, ...] = (self.row, self.col)
        shape = self.shape
        if data.ndim == 2:
            batch = data.shape[0]
            batch_index = xp.arange(batch, dtype=self.row.dtype, device=device.native)
            indices = (xp.broadcast_to(batch_index[:, None], tuple(self.row.shape)),) + indices
            shape = (batch,) + shape
        dense = xp.zeros(shape, dtype=data.dtype, device=device.native)
        return device.backend.scatter_add(dense, indices, kept)


def to_coo(x: Any, ldnz: int | None = None, requires_grad: bool = False) -> CooMatrix:
    """The coordinate-format matrix of the nonzero entries of ``x``, in row-major order.

    Args:
        x: A dense matrix ``(rows, columns)`` or batch ``(batch, rows, columns)``.
        ldnz: The number of entries to hold per matrix (padded with index
            ``-1`` and value ``0``); by default the largest count of nonzeros.
        requires_grad: Whether the data Variable requires a gradient.
    """
    if not 2 <= x.ndim <= 3:
        raise ValueError(f'to_coo: expected a matrix or a batch of matrices, received shape '
                         f'{tuple(x.shape)}')
    device = get_device_from_array(x)
    xp = device.namespace
    matrices = [x] if x.ndim == 2 else [x[i, ...] for i in range(x.shape[0])]
    entries = [_nonzero_entries(xp, m) for m in matrices]
    most = max(int(row.shape[0]) for _, row, _ in entries)
    if ldnz is None:
        ldnz = most
    elif ldnz < most:
        raise ValueError(f'to_coo: ldnz={ldnz} is less than the {most} nonzero entries of a '
                         f'matrix')
    padded = [_padded(xp, device, part, ldnz, fill)
              for part, fill in zip(zip(*entries), (0, -1, -1))]
    if x.ndim == 3:
        data, row, col = (xp.stack(part) for part in padded)
    else:
        data, row, col = (part[0] for part in padded)
    return CooMatrix(data, row, col, tuple(x.shape[-2:]), order='C',
                     requires_grad=requires_grad)


def _nonzero_entries(xp: Any, matrix: Any) -> tuple[Any, Any, Any]:
    """The nonzero values of ``matrix`` with their rows and columns, in row-major order."""
    row, col = xp.nonzero(matrix)
    row, col = xp.astype(row, xp.int32), xp.astype(col, xp.int32)
    flat = xp.astype(row, xp.int64) * matrix.shape[1] + xp.astype(col, xp.int64)
    return xp.take(xp.reshape(matrix, (-1,)), flat), row, col


def _padded(xp: Any, device: Any, parts: tuple[Any, ...], length: int, fill: int) -> list[Any]:
    """Each array of ``parts`` extended to ``length`` entries with ``fill``."""
    return [xp.concat([part, xp.full((length - part.shape[0],), fill, dtype=part.dtype,
                                     device=device.native)]) for part in parts]


def get_order(row: Any, col: Any) -> str:
    """The order of coordinate-format entries: ``'C'``, ``'F'`` or ``'other'``.

    ``'C'`` when the entries (of each matrix of a batch) are sorted by row then
    column, ``'F'`` when sorted by column then row, and ``'other'`` otherwise;
    padding entries (index ``-1``) are ignored.

    Raises:
        ValueError: ``row`` and ``col`` differ in shape, or an entry has
            exactly one of its indices negative.
    """
    if tuple(row.shape) != tuple(col.shape):
        raise ValueError(f'get_order: expected row and col of one shape, received '
                         f'{tuple(row.shape)} and {tuple(col.shape)}')
    xp = get_device_from_array(row).namespace
    if bool(xp.any((row < 0) != (col < 0))):
        raise ValueError('get_order: an entry has one negative index but not the other')
    if _is_sorted(xp, row, col):
        return 'C'
    if _is_sorted(xp, col, row):
        return 'F'
    return 'other'


def _is_sorted(xp: Any, major: Any, minor: Any) -> bool:
    """Whether the valid entries along the last axis ascend by ``major`` then ``minor``."""
    if major.shape[-1] < 2:
        return True
    major0, major1 = major[..., :-1], major[..., 1:]
    minor0, minor1 = minor[..., :-1], minor[..., 1:]
    ignored = (major0 < 0) | (major1 < 0)
    ascending = (major0 < major1) | ((major0 == major1) & (minor0 <= minor1))
    return bool(xp.all(ascending | ignored))
