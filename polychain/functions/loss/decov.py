"""decov: the DeCov penalty on the cross-covariance of hidden activations."""

from __future__ import annotations

from typing import Any

from array_api_compat import device as native_device

from polychain.functions.loss.input_checks import check_reduce
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import mean
from polychain.functions.math.sum import sum as sum_
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable


def decov(h: Any, reduce: str = 'half_squared_sum') -> Variable:
    """DeCov loss: the off-diagonal covariance of the units of ``h`` over the batch.

    With ``C`` the covariance matrix of the columns of ``h`` (``h`` centred
    over axis 0, ``C = h.T @ h / N``) and its diagonal set to 0, the loss is
    ``sum(C ** 2) / 2``.

    Args:
        h: Activations, shape ``(N, M)``, floating dtype.
        reduce: ``'half_squared_sum'`` for the scalar loss, ``'no'`` for the
            masked covariance matrix ``(M, M)``.

    Returns:
        A scalar variable, or one of shape ``(M, M)`` with ``reduce='no'``.
    """
    check_reduce('decov', reduce, ('half_squared_sum', 'no'))
    if not isinstance(h, Variable):
        h = Variable(h, requires_grad=False)
    if h.ndim != 2:
        error = InvalidType('h.ndim == 2', f'h.shape == {h.shape}')
        error.set_function('decov')
        raise error
    xp = h.device.namespace
    centred = h - mean(h, axis=0, keepdims=True)
    units = h.shape[1]
    off_diagonal = 1.0 - xp.eye(units, dtype=h.dtype, device=native_device(h.array))
    covariance = matmul(centred, centred, transa=True) * off_diagonal * (1.0 / h.shape[0])
    if reduce == 'no':
        return covariance
    return sum_(covariance * covariance) * 0.5
