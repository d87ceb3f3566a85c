"""The two-dimensional MLP convolution layer (network in network)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from polychain.functions import relu
from polychain.link import ChainList
from polychain.links.connection.convolution_2d import Convolution2D
from polychain.variable import Variable


class MLPConvolution2D(ChainList):
    """A convolution followed by 1x1 convolutions, with an activation between them.

    ``MLPConvolution2D(out_channels, ksize)`` infers the input channels from
    the first input.

    See: M. Lin, Q. Chen and S. Yan, `Network in Network
    <https://arxiv.org/abs/1312.4400>`_.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out_channels: Output channels of each convolution (a sequence).
        ksize: Filter size of the first convolution.
        stride: Stride of the first convolution.
        pad: Padding of the first convolution.
        activation: Applied after every convolution but the last.
        conv_init: Initializer of the filters.
        bias_init: Initializer of the biases.

    Raises:
        ValueError: The ``wscale`` argument of old Chainer versions is given.
    """

    def __init__(self, in_channels: int | None, out_channels: Any, ksize: Any = None,
                 stride: Any = 1, pad: Any = 0,
                 activation: Callable[[Any], Variable] = relu, *,
                 conv_init: Any = None, bias_init: Any = None, **kwargs: Any) -> None:
        if 'wscale' in kwargs:
            raise ValueError('MLPConvolution2D: wscale is not supported anymore; use '
                             'conv_init and bias_init')
        if kwargs:
            raise TypeError(f'MLPConvolution2D: unexpected keyword arguments {sorted(kwargs)}')
        if ksize is None:
            in_channels, out_channels, ksize = None, in_channels, out_channels
        channels: Sequence[int] = tuple(out_channels)
        if not channels:
            raise ValueError('MLPConvolution2D: expected at least one output channel count')
        convolutions = [Convolution2D(in_channels, channels[0], ksize, stride, pad,
                                      initialW=conv_init, initial_bias=bias_init)]
        convolutions += [Convolution2D(n_in, n_out, 1, initialW=conv_init,
                                       initial_bias=bias_init)
                         for n_in, n_out in zip(channels, channels[1:])]
        super().__init__(*convolutions)
        self.activation = activation

    def forward(self, x: Any) -> Variable:
        """Applies the convolutions to ``x`` of shape ``(N, C, H, W)``."""
        *hidden, last = self._children
        for convolution in hidden:
            x = self.activation(convolution(x))
        return last(x)
