"""batch_normalization and fixed_batch_normalization.

As in Chainer, ``batch_normalization`` writes the new running statistics into
``running_mean`` and ``running_var`` when the backend's arrays are mutable.
Arrays of some backends (JAX) cannot be written into: with
``return_statistics=True`` the function also returns the arrays holding the
new values, ``(y, new_running_mean, new_running_var)``, which the caller keeps
(``L.BatchNormalization`` replaces its ``avg_mean`` and ``avg_var``).
"""

from __future__ import annotations

from typing import Any

from polychain.configuration import Unusual, config
from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import sum_to
from polychain.functions.array.reshape import reshape
from polychain.functions.math.power import rsqrt
from polychain.functions.normalization.parameter_layout import (
    aligned_parameter_shape,
    check_channel_parameters,
    statistics_axes,
)
from polychain.functions.normalization.running_statistics import (
    update_running_statistics,
    warn_single_sample,
    warn_unless_updated,
)
from polychain.functions.normalization.standardization import AffineStandardization, as_dtype
from polychain.variable import Variable


class BatchNormalization(AffineStandardization):
    """Batch normalization with batch statistics; optionally computes new running statistics.

    After forward, ``running_mean`` and ``running_var`` hold the updated
    running statistics (when running statistics were given).
    """

    def __init__(self, axes: tuple[int, ...], parameter_shape: tuple[int, ...], eps: float,
                 running_mean: Any = None, running_var: Any = None,
                 decay: float = 0.9) -> None:
        super().__init__(axes, parameter_shape, eps)
        self.running_mean = running_mean
        self.running_var = running_var
        self.decay = decay

    def forward(self, inputs):
        x, gamma, beta = inputs
        check_channel_parameters(tuple(x.shape), self.axes, {'gamma': gamma, 'beta': beta})
        outputs = super().forward(inputs)
        if self.running_mean is not None:
            self.running_mean, self.running_var = update_running_statistics(
                self.xp, self.running_mean, self.running_var, self.mean, self.var,
                self.decay, x.size // gamma.size)
        return outputs


class FixedBatchNormalization(FunctionNode):
    """``gamma * (x - mean) / sqrt(var + eps) + beta`` with given statistics.

    Inputs are ``(x, gamma, beta, mean, var)``, the last four of the channel shape.
    """

    _retain_input_indexes = (0, 1, 3, 4)

    def __init__(self, axes: tuple[int, ...], parameter_shape: tuple[int, ...],
                 eps: float) -> None:
        self.axes = axes
        self.parameter_shape = parameter_shape
        self.eps = eps

    def forward(self, inputs):
        xp = self.xp
        x, gamma, beta, mean, var = inputs
        if not Unusual.no_type_check or config.type_check:
            # Checked only with type checks on, as Chainer's check_type_forward: the numerical
            # pass of check_backward casts some parameters and not the statistics.
            check_channel_parameters(tuple(x.shape), self.axes, {
                'gamma': gamma, 'beta': beta, 'mean': mean, 'var': var})
        shape = self.parameter_shape
        scale = xp.reshape(gamma / xp.sqrt(var + self.eps), shape)
        y = (x - xp.reshape(mean, shape)) * scale + xp.reshape(beta, shape)
        return (y if y.dtype == x.dtype else xp.astype(y, x.dtype)),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        x, gamma, mean, var = self.get_retained_inputs()
        # Gradients are computed in the parameters' dtype; x's is cast back at the end.
        x_dtype = x.dtype
        x, gy = as_dtype(x, gamma.dtype), as_dtype(gy, gamma.dtype)
        shape = self.parameter_shape
        inv_std = rsqrt(var + self.eps)
        centred = x - reshape(mean, shape)
        gbeta = reshape(sum_to(gy, shape), gamma.shape)
        ggamma_unscaled = reshape(sum_to(gy * centred, shape), gamma.shape)
        grads = []
        for i in indexes:
            if i == 0:
                grads.append(as_dtype(gy * reshape(gamma * inv_std, shape), x_dtype))
            elif i == 1:
                grads.append(ggamma_unscaled * inv_std)
            elif i == 2:
                grads.append(gbeta)
            elif i == 3:
                grads.append(-gbeta * gamma * inv_std)
            else:
                grads.append(ggamma_unscaled * gamma * inv_std * inv_std * inv_std * -0.5)
        return tuple(grads)


def _axes_and_shape(function: str, x: Any, gamma: Any, axis: Any) -> tuple[Any, Any]:
    axes = statistics_axes(function, x.ndim, gamma.ndim, axis)
    return axes, aligned_parameter_shape(tuple(x.shape), axes)


def batch_normalization(x: Any, gamma: Any, beta: Any, eps: float = 2e-5,
                        running_mean: Any = None, running_var: Any = None, decay: float = 0.9,
                        axis: Any = None, *, return_statistics: bool = False) -> Any:
    """Batch normalization with the statistics of the batch.

    ``y = gamma * (x - mean) / sqrt(var + eps) + beta``, where ``mean`` and the
    biased ``var`` are taken over the batch axes. When ``running_mean`` and
    ``running_var`` are given, their running averages
    ``decay * running + (1 - decay) * batch`` (variance made unbiased) are
    written into them, or, on backends with immutable arrays, into new arrays
    returned with ``return_statistics=True``.

    Args:
        x: Input of shape ``(batch, channel..., spatial...)``.
        gamma: Scale of the channel shape.
        beta: Shift of the channel shape.
        eps: Added to the variance.
        running_mean: Running average of the mean (channel shape), or ``None``.
        running_var: Running average of the variance (channel shape), or ``None``.
        decay: Weight of the old running averages.
        axis: Axes averaged over (an int or a tuple); ``None`` averages the first
            axis and those after ``gamma``'s axes.
        return_statistics: Return the arrays holding the new running averages
            too (needs ``running_mean`` and ``running_var``).

    Returns:
        The output variable; with ``return_statistics=True``, the tuple
        ``(y, new_running_mean, new_running_var)`` of it and two arrays.
    """
    if (running_mean is None) != (running_var is None):
        raise TypeError('batch_normalization: expected running_mean and running_var both or '
                        'neither, received only one of them')
    if return_statistics and running_mean is None:
        raise TypeError('batch_normalization: return_statistics=True needs running_mean and '
                        'running_var, received None')
    axes, shape = _axes_and_shape('batch_normalization', x, gamma, axis)
    warn_single_sample('batch_normalization', x.size // max(gamma.size, 1))
    node = BatchNormalization(axes, shape, eps, running_mean, running_var, decay)
    y = node.apply((x, gamma, beta))[0]
    if return_statistics:
        return y, node.running_mean, node.running_var
    if running_mean is not None:
        warn_unless_updated('batch_normalization', (running_mean, running_var),
                            (node.running_mean, node.running_var))
    return y


def fixed_batch_normalization(x: Any, gamma: Any, beta: Any, mean: Any, var: Any,
                              eps: float = 2e-5, axis: Any = None) -> Variable:
    """Batch normalization with given statistics (inference mode).

    ``y = gamma * (x - mean) / sqrt(var + eps) + beta``; gradients reach all five inputs.

    Args:
        x: Input of shape ``(batch, channel..., spatial...)``.
        gamma: Scale of the channel shape.
        beta: Shift of the channel shape.
        mean: Mean of the channel shape.
        var: Variance of the channel shape.
        eps: Added to the variance.
        axis: Axes the statistics were taken over (see :func:`batch_normalization`).
    """
    axes, shape = _axes_and_shape('fixed_batch_normalization', x, gamma, axis)
    return FixedBatchNormalization(axes, shape, eps).apply((x, gamma, beta, mean, var))[0]
