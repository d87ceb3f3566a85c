"""Identity and orthogonal initializers."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.initializers.base import Initializer

_MODES = ('auto', 'projection', 'embedding', 'basis')


class Identity(Initializer):
    """Fills a square matrix with ``scale`` times the identity.

    Args:
        scale: The value of the diagonal.
        dtype: The dtype of the generated arrays.
    """

    def __init__(self, scale: float = 1.0, dtype: Any = None) -> None:
        super().__init__(dtype)
        self.scale = scale

    def fill(self, array: numpy.ndarray) -> None:
        if array.ndim != 2 or array.shape[0] != array.shape[1]:
            raise ValueError(f'Identity: expected a square 2-d array, received shape '
                             f'{array.shape}')
        array[...] = self.scale * numpy.identity(array.shape[0])


class Orthogonal(Initializer):
    """Fills with a (semi-)orthogonal matrix times ``scale``.

    A standard normal matrix is drawn with ``numpy.random`` and decomposed
    by QR (with a non-negative diagonal of R, which makes the result unique).
    Arrays of more than 2 axes are treated as matrices of
    ``(shape[0], prod(shape[1:]))``.

    Args:
        scale: Multiplier of the matrix.
        dtype: The dtype of the generated arrays.
        mode: Which shapes are accepted: ``'projection'`` (rows orthonormal,
            ``shape[0] <= prod(shape[1:])``), ``'embedding'`` (columns
            orthonormal, ``shape[0] >= prod(shape[1:])``), ``'basis'``
            (square), or ``'auto'`` (whichever fits).
        rng: A NumPy ``RandomState``/``Generator`` to draw from instead of
            ``numpy.random``.
    """

    def __init__(self, scale: float = 1.1, dtype: Any = None, mode: str = 'auto',
                 rng: Any = None) -> None:
        super().__init__(dtype)
        if mode not in _MODES:
            raise ValueError(f'Orthogonal: expected mode among {_MODES}, received {mode!r}')
        self.scale = scale
        self.mode = mode
        self.rng = rng

    def fill(self, array: numpy.ndarray) -> None:
        rng = numpy.random if self.rng is None else self.rng
        if array.ndim == 0:
            array[...] = self.scale * (2 * int(rng.uniform() < 0.5) - 1)
            return
        if array.size == 0:
            raise ValueError(f'Orthogonal: expected a non-empty array, received shape '
                             f'{array.shape}')
        out_dim = array.shape[0]
        in_dim = array.size // out_dim
        self._check_mode(out_dim, in_dim)
        tall = rng.normal(size=(max(out_dim, in_dim), min(out_dim, in_dim)))
        q, r = numpy.linalg.qr(tall)
        q = q * numpy.where(numpy.diag(r) < 0, -1.0, 1.0)
        matrix = q if out_dim >= in_dim else q.T
        array[...] = self.scale * matrix.reshape(array.shape)

    def _check_mode(self, out_dim: int, in_dim: int) -> None:
        allowed = {'auto': True, 'projection': out_dim <= in_dim,
                   'embedding': out_dim >= in_dim, 'basis': out_dim == in_dim}[self.mode]
        if not allowed:
            raise ValueError(f'Orthogonal: mode {self.mode!r} cannot make a matrix of '
                             f'{out_dim} vectors of dimension {in_dim}')
