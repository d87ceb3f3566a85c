"""batch_renormalization: batch normalization corrected toward the running statistics."""

from __future__ import annotations

import warnings
from typing import Any

from polychain.functions.normalization.batch_normalization import fixed_batch_normalization
from polychain.functions.normalization.parameter_layout import (
    aligned_parameter_shape,
    check_channel_parameters,
    statistics_axes,
)
from polychain.functions.normalization.running_statistics import (
    update_running_statistics,
    warn_unless_updated,
)
from polychain.functions.normalization.standardization import AffineStandardization
from polychain.variable import Variable


class BatchRenormalization(AffineStandardization):
    """``gamma * (x_hat * r + d) + beta`` with ``r`` and ``d`` held constant in backward.

    ``r = clip(batch_std / running_std, 1 / rmax, rmax)`` and
    ``d = clip((batch_mean - running_mean) / running_std, -dmax, dmax)``, both
    standard deviations including ``eps``. With ``update_statistics``, after
    forward ``running_mean`` and ``running_var`` hold the updated running statistics.
    """

    def __init__(self, axes: tuple[int, ...], parameter_shape: tuple[int, ...], eps: float,
                 running_mean: Any, running_var: Any, decay: float, rmax: float,
                 dmax: float, update_statistics: bool = False) -> None:
        super().__init__(axes, parameter_shape, eps)
        self.running_mean = running_mean
        self.running_var = running_var
        self.decay = decay
        self.rmax = rmax
        self.dmax = dmax
        self.update_statistics = update_statistics

    def forward(self, inputs):
        x, gamma, beta = inputs
        check_channel_parameters(tuple(x.shape), self.axes, {'gamma': gamma, 'beta': beta})
        outputs = super().forward(inputs)
        if self.update_statistics:
            self.running_mean, self.running_var = update_running_statistics(
                self.xp, self.running_mean, self.running_var, self.mean, self.var,
                self.decay, x.size // gamma.size)
        return outputs

    def scale_and_shift(self, gamma, beta):
        xp = self.xp
        gamma, beta = super().scale_and_shift(gamma, beta)
        running_mean = xp.reshape(self.running_mean, self.parameter_shape)
        running_std = xp.sqrt(xp.reshape(self.running_var, self.parameter_shape) + self.eps)
        r = xp.clip(xp.sqrt(self.var + self.eps) / running_std, 1.0 / self.rmax,
                    float(self.rmax))
        d = xp.clip((self.mean - running_mean) / running_std, -float(self.dmax),
                    float(self.dmax))
        # In the input's dtype, as backward computes in it.
        self.r, self.d = xp.astype(r, self.var.dtype), xp.astype(d, self.var.dtype)
        return gamma * self.r, gamma * self.d + beta

    def scale_variable(self, gamma: Variable) -> Variable:
        return super().scale_variable(gamma) * self.r

    def parameter_gradients(self, gamma, gscale, gshift):
        return super().parameter_gradients(gamma, gscale * self.r + gshift * self.d, gshift)


def batch_renormalization(x: Any, gamma: Any, beta: Any, rmax: float, dmax: float,
                          eps: float = 2e-5, running_mean: Any = None, running_var: Any = None,
                          decay: float = 0.9, update_statistics: bool = False, *,
                          return_statistics: bool = False) -> Any:
    """Batch renormalization: batch normalization pulled toward the running statistics.

    ``y = gamma * (x_hat * r + d) + beta`` with ``x_hat`` standardized by the
    batch statistics, ``r = clip(sigma_batch / sigma_running, 1/rmax, rmax)``
    and ``d = clip((mu_batch - mu_running) / sigma_running, -dmax, dmax)``;
    ``r`` and ``d`` are constants for the gradients. As in Chainer, the running
    averages are of the variance and use Bessel's correction.

    With ``update_statistics=True`` the new running averages are written into
    ``running_mean`` and ``running_var``, or, on backends with immutable
    arrays, into new arrays returned with ``return_statistics=True``.

    Args:
        x: Input of shape ``(batch, channel..., spatial...)``.
        gamma: Scale of the channel shape.
        beta: Shift of the channel shape.
        rmax: Upper bound of ``r`` (its lower bound is ``1 / rmax``).
        dmax: Bound of ``|d|``.
        eps: Added to the variances.
        running_mean: Running average of the mean (required).
        running_var: Running average of the variance (required).
        decay: Weight of the old running averages.
        update_statistics: Update the running averages.
        return_statistics: Return the arrays holding the running averages too.

    Returns:
        The output variable; with ``return_statistics=True``, the tuple
        ``(y, running_mean, running_var)``.
    """
    if running_mean is None:
        raise TypeError('batch_renormalization: running_mean is required, received None')
    if running_var is None:
        raise TypeError('batch_renormalization: running_var is required, received None')
    axes = statistics_axes('batch_renormalization', x.ndim, gamma.ndim)
    node = BatchRenormalization(axes, aligned_parameter_shape(tuple(x.shape), axes), eps,
                                running_mean, running_var, decay, rmax, dmax,
                                update_statistics)
    y = node.apply((x, gamma, beta))[0]
    if return_statistics:
        return y, node.running_mean, node.running_var
    warn_unless_updated('batch_renormalization', (running_mean, running_var),
                        (node.running_mean, node.running_var))
    return y


def fixed_batch_renormalization(x: Any, gamma: Any, beta: Any, mean: Any, var: Any,
                                eps: float = 2e-5) -> Variable:
    """Deprecated: :func:`~polychain.functions.fixed_batch_normalization`, which it computes.

    Args:
        x: Input of shape ``(batch, channel..., spatial...)``.
        gamma: Scale of the channel shape.
        beta: Shift of the channel shape.
        mean: Mean of the channel shape.
        var: Variance of the channel shape.
        eps: Added to the variance.
    """
    warnings.warn('fixed_batch_renormalization is deprecated; use fixed_batch_normalization',
                  DeprecationWarning, stacklevel=2)
    return fixed_batch_normalization(x, gamma, beta, mean, var, eps)
