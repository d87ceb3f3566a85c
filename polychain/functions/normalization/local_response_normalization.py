"""local_response_normalization: divides by a power of the squares summed over nearby channels."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.utils.windows import pad_constant
from polychain.variable import Variable


def _channel_window_sum_array(device: Any, a: Any, half: int) -> Any:
    """Sum of ``a`` over channels ``c - half .. c + half`` (axis 1), zeros outside."""
    channels = a.shape[1]
    padded = pad_constant(device, a, [(0, 0), (half, half)] + [(0, 0)] * (a.ndim - 2), 0.0)
    total = padded[:, 0:channels, ...]
    for offset in range(1, 2 * half + 1):
        total = total + padded[:, offset:offset + channels, ...]
    return total


class ChannelWindowSum(FunctionNode):
    """Sum over a window of ``2 * half + 1`` channels centred on each channel.

    The window is symmetric, so the gradient is the same window sum of the
    output gradient.
    """

    def __init__(self, half: int) -> None:
        self.half = half

    def forward(self, inputs):
        return _channel_window_sum_array(self.device, inputs[0], self.half),

    def backward(self, indexes, grad_outputs):
        return ChannelWindowSum(self.half).apply(grad_outputs)


class LocalResponseNormalization(FunctionNode):
    """``x * (k + alpha * window_sum(x ** 2)) ** -beta`` over channel windows."""

    _retain_input_indexes = (0,)

    def __init__(self, n: int, k: float, alpha: float, beta: float) -> None:
        self.half = n // 2
        self.k = k
        self.alpha = alpha
        self.beta = beta

    def forward(self, inputs):
        x, = inputs
        unit_scale = self.k + self.alpha * _channel_window_sum_array(self.device, x * x, self.half)
        return x * unit_scale ** -self.beta,

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        x, = self.get_retained_inputs()
        unit_scale = self.k + self.alpha * ChannelWindowSum(self.half).apply((x * x,))[0]
        scale = unit_scale ** -self.beta
        summand = x * scale * gy / unit_scale
        gx = gy * scale - (2.0 * self.alpha * self.beta) * x * \
            ChannelWindowSum(self.half).apply((summand,))[0]
        return gx,


def local_response_normalization(x: Any, n: int = 5, k: float = 2, alpha: float = 1e-4,
                                 beta: float = 0.75) -> Variable:
    """Local response normalization across channels.

    ``y[:, c] = x[:, c] / (k + alpha * sum(x[:, i] ** 2)) ** beta`` where ``i``
    runs over the channels ``c - n // 2 .. c + n // 2`` that exist.

    Args:
        x: Input of shape ``(batch, channels, ...)``.
        n: Width of the channel window (``2 * (n // 2) + 1`` channels are summed).
        k: Constant added to the sum.
        alpha: Factor of the sum.
        beta: Exponent.
    """
    if x.ndim < 2:
        raise ValueError(f'local_response_normalization: expected x with at least 2 '
                         f'dimensions (batch, channels, ...), received x.shape == '
                         f'{tuple(x.shape)}')
    return LocalResponseNormalization(n, float(k), float(alpha), float(beta)).apply((x,))[0]
