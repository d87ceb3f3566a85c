"""Batch normalization with the statistics of the whole batch across all ranks."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.functions.normalization.parameter_layout import (
    aligned_parameter_shape,
    statistics_axes,
)
from polychain.functions.normalization.running_statistics import update_running_statistics
from polychain.variable import Variable


class MultiNodeBatchNormalizationFunction(FunctionNode):
    """``gamma * (x - mean) / sqrt(var + eps) + beta`` with every rank's batch in the statistics.

    Forward allreduces the per-channel sums of ``x`` and ``x ** 2`` and the
    sample count; backward allreduces the per-channel sums of ``gy`` and
    ``gy * x_hat``. The parameters' gradients are this rank's own (the
    multi-node optimizer averages them). Statistics are computed in the
    parameters' dtype (float32 under ``mixed16``); ``y`` and ``gx`` have ``x``'s.

    Args:
        comm: The ChainerMN communicator.
        axes: The axes of ``x`` the statistics reduce.
        eps: Added to the variance.
        running_mean: Running mean (updated after forward), or ``None``.
        running_var: Running variance (updated after forward), or ``None``.
        decay: Weight of the old running averages.
    """

    def __init__(self, comm: Any, axes: tuple[int, ...], eps: float = 2e-5,
                 running_mean: Any = None, running_var: Any = None, decay: float = 0.9) -> None:
        self.comm = comm
        self.axes = axes
        self.eps = eps
        self.running_mean = running_mean
        self.running_var = running_var
        self.decay = decay

    def _allreduce_sums(self, a: Any, b: Any, *extra: float) -> tuple[Any, ...]:
        """Sums over all ranks of two per-channel arrays (and of scalars), in one allreduce."""
        xp = self.xp
        n = a.size
        flat = xp.concat([xp.reshape(a, (-1,)), xp.reshape(b, (-1,)),
                          xp.asarray(extra, dtype=a.dtype)])
        total = self.device.send(self.comm.allreduce(flat))
        return (xp.reshape(total[:n], a.shape), xp.reshape(total[n:2 * n], b.shape),
                *(float(total[2 * n + i]) for i in range(len(extra))))

    def forward(self, inputs):
        xp = self.xp
        x, gamma, beta = inputs
        self._shape = aligned_parameter_shape(tuple(x.shape), self.axes)
        dtype = xp.result_type(x.dtype, gamma.dtype)
        xc = xp.astype(x, dtype)
        s1, s2, count = self._allreduce_sums(
            xp.sum(xc, axis=self.axes, keepdims=True),
            xp.sum(xc * xc, axis=self.axes, keepdims=True), x.size // max(gamma.size, 1))
        mean = s1 / count
        var = xp.maximum(s2 / count - mean * mean, xp.zeros_like(mean))
        self._count = count
        self._inv_std = 1.0 / xp.sqrt(var + self.eps)
        self._x_hat = (xc - mean) * self._inv_std
        self._gamma = xp.reshape(gamma, self._shape)
        self._param_shape, self._param_dtype = tuple(gamma.shape), gamma.dtype
        self._x_dtype = x.dtype
        y = self._gamma * self._x_hat + xp.reshape(beta, self._shape)
        if self.running_mean is not None:
            self.running_mean, self.running_var = update_running_statistics(
                xp, self.running_mean, self.running_var, mean, var, self.decay, int(count))
        return xp.astype(y, x.dtype),

    def backward(self, indexes, grad_outputs):
        xp = self.xp
        gy = xp.astype(grad_outputs[0].array, self._x_hat.dtype)
        x_hat = self._x_hat
        gbeta = xp.sum(gy, axis=self.axes, keepdims=True)
        ggamma = xp.sum(gy * x_hat, axis=self.axes, keepdims=True)
        gbeta_all, ggamma_all = self._allreduce_sums(gbeta, ggamma)
        gx = (self._gamma * self._inv_std) * (gy - (x_hat * ggamma_all + gbeta_all) / self._count)
        grads = (xp.astype(gx, self._x_dtype),
                 xp.astype(xp.reshape(ggamma, self._param_shape), self._param_dtype),
                 xp.astype(xp.reshape(gbeta, self._param_shape), self._param_dtype))
        return tuple(grads[i] for i in indexes)


def multi_node_batch_normalization(
        x: Any, gamma: Any, beta: Any, comm: Any, eps: float = 2e-5, running_mean: Any = None,
        running_var: Any = None, decay: float = 0.9,
        axis: Any = None) -> tuple[Variable, Any, Any]:
    """Batch normalization over the batches of all ranks of ``comm``.

    Returns ``(y, new_running_mean, new_running_var)``; the running statistics
    are written into the arrays given where the backend allows it.
    """
    axes = statistics_axes('multi_node_batch_normalization', x.ndim, gamma.ndim, axis)
    node = MultiNodeBatchNormalizationFunction(comm, axes, eps, running_mean, running_var, decay)
    y, = node.apply((x, gamma, beta))
    return y, node.running_mean, node.running_var
