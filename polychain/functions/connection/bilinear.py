"""bilinear: a bilinear form of two inputs plus optional linear terms."""

from __future__ import annotations

from typing import Any

from polychain.functions.array.reshape import reshape
from polychain.functions.math.matmul import matmul
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def _as_matrix(x: Any) -> Any:
    """``x`` with its axes after the first flattened into one."""
    return x if x.ndim == 2 else reshape(x, (x.shape[0], -1))


def _check_shapes(e1: Any, e2: Any, W: Any, biases: tuple[Any, ...]) -> None:  # noqa: N803
    j, k = e1.shape[1], e2.shape[1]
    if e1.shape[0] != e2.shape[0] or W.ndim != 3 or W.shape[:2] != (j, k):
        raise InvalidType('e1.shape[0] == e2.shape[0], W.ndim == 3 and '
                          'W.shape[:2] == (e1 size per sample, e2 size per sample)',
                          f'e1.shape == {tuple(e1.shape)}, e2.shape == {tuple(e2.shape)}, '
                          f'W.shape == {tuple(W.shape)}')
    if biases:
        out_size = W.shape[2]
        V1, V2, b = biases  # noqa: N806
        expected = ((j, out_size), (k, out_size), (out_size,))
        received = tuple(tuple(p.shape) for p in biases)
        if received != expected:
            raise InvalidType(f'V1.shape, V2.shape, b.shape == {expected}',
                              f'V1.shape, V2.shape, b.shape == {received}')


def bilinear(e1: Any, e2: Any, W: Any, V1: Any = None, V2: Any = None,  # noqa: N803
             b: Any = None) -> Variable:
    """Bilinear function: ``y = e1^T W e2 + V1^T e1 + V2^T e2 + b``.

    For each sample ``i``,
    ``y[i, l] = sum_jk e1[i, j] e2[i, k] W[j, k, l] + sum_j e1[i, j] V1[j, l]
    + sum_k e2[i, k] V2[k, l] + b[l]``. Axes of ``e1`` and ``e2`` after the
    first are flattened.

    Args:
        e1: Left input of shape ``(N, J)``.
        e2: Right input of shape ``(N, K)``.
        W: Quadratic weight of shape ``(J, K, L)``.
        V1: Left linear weight of shape ``(J, L)``, or ``None``.
        V2: Right linear weight of shape ``(K, L)``, or ``None``.
        b: Bias of shape ``(L,)``, or ``None``.

    Returns:
        A variable of shape ``(N, L)``.

    Raises:
        ValueError: Some but not all of ``V1``, ``V2`` and ``b`` are ``None``.
    """
    missing = [p is None for p in (V1, V2, b)]
    if any(missing) and not all(missing):
        absent = [name for name, m in zip(('V1', 'V2', 'b'), missing) if m]
        raise ValueError('bilinear: expected V1, V2 and b to be all None or all given, '
                         f'received None for {absent}')
    biases = () if all(missing) else (V1, V2, b)
    e1, e2 = _as_matrix(e1), _as_matrix(e2)
    try:
        _check_shapes(e1, e2, W, biases)
    except InvalidType as error:
        error.set_function('bilinear')
        raise
    n, j = e1.shape
    k = e2.shape[1]
    outer = reshape(e1, (n, j, 1)) * reshape(e2, (n, 1, k))
    y = matmul(reshape(outer, (n, j * k)), reshape(W, (j * k, W.shape[2])))
    if biases:
        y = y + matmul(e1, V1) + matmul(e2, V2) + b
    return y
