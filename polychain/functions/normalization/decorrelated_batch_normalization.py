"""Decorrelated batch normalization: ZCA whitening of groups of channels (Huang et al., 2018)."""

from __future__ import annotations

import math
import warnings
from typing import Any

from polychain.backend.registry import get_device_from_array
from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import broadcast_to
from polychain.functions.array.cast import cast
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import sum as sum_
from polychain.utils.argument import parse_kwargs
from polychain.variable import Variable


def _as_dtype_of(value: Any, x: Variable) -> Any:
    """``value`` (a Variable or an array) in the dtype of ``x``."""
    return value if value.dtype == x.dtype else cast(value, x.dtype)


def _matrices(xp: Any, a: Any, function: Any) -> Any:
    """``function(a)``, computed in float32 for float16 ``a`` (linalg lacks float16)."""
    half = getattr(xp, 'float16', None)  # some Array API libraries have no float16
    if a.dtype == half:
        return tuple(xp.astype(r, half) for r in function(xp.astype(a, xp.float32)))
    return function(a)


class InverseSquareRoot(FunctionNode):
    """``a^(-1/2)`` of a stack of symmetric positive definite matrices, by eigendecomposition.

    Its gradient (Daleckii-Krein) is defined for repeated eigenvalues too; it
    cannot be differentiated again.
    """

    def forward(self, inputs):
        a, = inputs
        xp = self.xp
        w, v = _matrices(xp, a, xp.linalg.eigh)
        self.roots = xp.sqrt(w)  # kept for the backward pass with the eigenvectors
        self.vectors = v
        scaled = v * xp.expand_dims(1.0 / self.roots, axis=-2)
        return xp.matmul(scaled, xp.matrix_transpose(v)),

    def backward(self, indexes, grad_outputs):
        return InverseSquareRootGrad(self.roots, self.vectors).apply(grad_outputs)


class InverseSquareRootGrad(FunctionNode):
    """The gradient of :class:`InverseSquareRoot`: ``V (K * (V^T gy V)) V^T``, symmetrised.

    ``K[i, j] = -1 / (s_i s_j (s_i + s_j))``, ``s`` the square roots of the
    eigenvalues, is the divided difference of ``t^(-1/2)`` at the eigenvalues.
    """

    def __init__(self, roots: Any, vectors: Any) -> None:
        self.roots = roots
        self.vectors = vectors

    def forward(self, inputs):
        gy, = inputs
        xp = self.xp
        v, s = self.vectors, self.roots
        row, col = xp.expand_dims(s, axis=-1), xp.expand_dims(s, axis=-2)
        divided = -1.0 / (row * col * (row + col))
        inner = divided * xp.matmul(xp.matrix_transpose(v), xp.matmul(gy, v))
        ga = xp.matmul(v, xp.matmul(inner, xp.matrix_transpose(v)))
        return (ga + xp.matrix_transpose(ga)) * 0.5,


def _check_groups(function: str, x: Any, groups: Any) -> int:
    channels = x.shape[1] if x.ndim >= 2 else 0
    if not isinstance(groups, int) or isinstance(groups, bool) or groups < 1 or \
            channels % groups:
        raise ValueError(f'{function}: expected groups to be a positive int dividing the '
                         f'{channels} channels of x, received {groups!r}')
    return groups


def _grouped(x: Any, groups: int) -> Variable:
    """``x`` of shape ``(b, groups * C, *spatial)`` as ``(groups, C, b * prod(spatial))``."""
    b, channels = x.shape[:2]
    spatial = math.prod(x.shape[2:])
    y = transpose(reshape(x, (b, groups, channels // groups, spatial)), (1, 2, 0, 3))
    return reshape(y, (groups, channels // groups, b * spatial))


def _ungrouped(y: Variable, shape: tuple[int, ...]) -> Variable:
    groups, size = y.shape[:2]
    y = transpose(reshape(y, (groups, size, shape[0], -1)), (2, 0, 1, 3))
    return reshape(y, shape)


def _update_running(running: Any, batch: Any, decay: float) -> Any:
    """``decay * running + (1 - decay) * batch``, written into ``running`` where it is mutable."""
    xp = get_device_from_array(running).namespace
    term = xp.astype(batch * (1.0 - decay), running.dtype)
    running *= decay  # augmented assignments write into mutable arrays, rebind immutable ones
    running += term
    return running


def decorrelated_batch_normalization(x: Any, **kwargs: Any) -> Any:
    """decorrelated_batch_normalization(x, *, groups=16, eps=2e-5, running_mean=None, \
running_projection=None, decay=0.9)

    Decorrelated batch normalization: whitens each group of channels.

    The channels of ``x`` (axis 1) are split into ``groups`` groups of ``C``;
    within a group, every channel is centred by its batch mean and the
    channels are decorrelated by the ZCA projection
    ``(cov + eps I)^(-1/2)``, ``cov`` being their biased batch covariance
    over the batch and spatial axes.

    Args:
        x: Input of shape ``(b, groups * C, ...)``.
        groups: Number of groups.
        eps: Added to the diagonal of the covariance.
        running_mean: Array ``(groups, C)`` of the running mean, updated as
            ``decay * running_mean + (1 - decay) * mean``, or ``None``.
        running_projection: Array ``(groups, C, C)`` of the running projection,
            updated likewise, or ``None``.
        decay: Decay rate of the running averages.
        return_statistics: (polychain) Also return the arrays holding the new
            running mean and projection: backends whose arrays are immutable
            (JAX) cannot update the arrays given.

    Returns:
        A Variable shaped like ``x``; with ``return_statistics=True``, the tuple
        ``(y, running_mean, running_projection)``.
    """
    groups, eps, running_mean, running_projection, decay, return_statistics = parse_kwargs(
        kwargs, ('groups', 16), ('eps', 2e-5), ('running_mean', None),
        ('running_projection', None), ('decay', 0.9), ('return_statistics', False))
    groups = _check_groups('decorrelated_batch_normalization', x, groups)
    xg = _grouped(x, groups)
    count = xg.shape[2]
    mean = sum_(xg, axis=2, keepdims=True) * (1.0 / count)
    centred = xg - broadcast_to(mean, xg.shape)
    size = xg.shape[1]
    device = get_device_from_array(xg.array)
    eye = device.namespace.eye(size, dtype=xg.dtype, device=device.native)
    covariance = matmul(centred, centred, transb=True) * (1.0 / count) + eps * eye
    projection, = InverseSquareRoot().apply((covariance,))
    y = _ungrouped(matmul(projection, centred), tuple(x.shape))
    given = (running_mean, running_projection)
    if running_mean is not None:
        running_mean = _update_running(running_mean, reshape(mean, (groups, size)).array, decay)
    if running_projection is not None:
        running_projection = _update_running(running_projection, projection.array, decay)
    if return_statistics:
        return y, running_mean, running_projection
    if given[0] is not running_mean or given[1] is not running_projection:
        warnings.warn('decorrelated_batch_normalization: running_mean and running_projection '
                      'are arrays of a backend that cannot write into them; pass '
                      'return_statistics=True to receive the updated arrays', stacklevel=2)
    return y


def fixed_decorrelated_batch_normalization(x: Any, mean: Any, projection: Any,
                                           groups: int = 16) -> Variable:
    """Decorrelated batch normalization with given statistics.

    Each group of channels is centred by ``mean`` and multiplied by
    ``projection`` (see :func:`decorrelated_batch_normalization`).

    Args:
        x: Input of shape ``(b, groups * C, ...)``.
        mean: Variable or array ``(groups, C)``: the mean of each channel.
        projection: Variable or array ``(groups, C, C)``: the projection of each group.
        groups: Number of groups.

    Returns:
        A Variable shaped like ``x``. ``mean`` and ``projection`` are cast to
        the dtype of ``x`` where theirs differs.
    """
    groups = _check_groups('fixed_decorrelated_batch_normalization', x, groups)
    xg = _grouped(x, groups)
    mean, projection = _as_dtype_of(mean, xg), _as_dtype_of(projection, xg)
    centred = xg - broadcast_to(reshape(mean, tuple(mean.shape) + (1,)), xg.shape)
    return _ungrouped(matmul(projection, centred), tuple(x.shape))
