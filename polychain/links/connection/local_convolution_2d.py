"""The two-dimensional locally connected layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain import initializers
from polychain.functions.connection.local_convolution_2d import local_convolution_2d
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.variable import Variable


def _pair(value: Any) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


class LocalConvolution2D(Link):
    """Two-dimensional convolution without weight sharing (see :func:`local_convolution_2d`).

    ``W`` (and ``b``) depend on the input's spatial size; with ``in_channels``
    or ``in_size`` ``None`` they are created on the first call.

    Args:
        in_channels: Number of input channels, or ``None`` to infer it.
        out_channels: Number of output channels.
        in_size: Spatial size ``(H, W)`` (or an int) of the input, or ``None``
            to infer it.
        ksize: Kernel size: an int or a pair ``(kH, kW)``.
        stride: Stride: an int or a pair ``(sy, sx)``.
        nobias: Leave the bias out.
        initialW: Initializer of ``W`` (default LeCun normal).
        initial_bias: Initializer of ``b`` (default 0).

    Attributes:
        W: Weight of shape ``(out_channels, out_H, out_W, in_channels, kH, kW)``.
        b: Bias of shape ``(out_channels, out_H, out_W)``.
    """

    def __init__(self, in_channels: int | None, out_channels: int, in_size: Any = None,
                 ksize: Any = None, stride: Any = 1, nobias: bool = False,
                 initialW: Any = None, initial_bias: Any = None) -> None:  # noqa: N803
        super().__init__()
        if ksize is None:
            raise ValueError('LocalConvolution2D: expected ksize, an int or a pair of ints, '
                             'received None')
        self.ksize = _pair(ksize)
        self.stride = _pair(stride)
        self.nobias = nobias
        self.out_channels = out_channels
        with self.init_scope():
            self.W = Parameter(initializers.get_initializer(initialW))
            if nobias:
                self.b = None
            else:
                bias_init = 0 if initial_bias is None else initial_bias
                self.b = Parameter(initializers.get_initializer(bias_init))
        if in_channels is not None and in_size is not None:
            self._initialize_params(in_channels, _pair(in_size))

    def _initialize_params(self, in_channels: int, in_size: tuple[int, int]) -> None:
        kh, kw = self.ksize
        out_h, out_w = ((n - k) // s + 1 for n, k, s in zip(in_size, self.ksize, self.stride))
        if out_h < 1 or out_w < 1:
            raise ValueError(f'LocalConvolution2D: expected an input of at least the kernel '
                             f'size {self.ksize}, received spatial size {in_size}')
        self.W.initialize((self.out_channels, out_h, out_w, in_channels, kh, kw))
        if self.b is not None:
            self.b.initialize((self.out_channels, out_h, out_w))

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'out_channels', self.out_channels
        yield 'ksize', self.ksize
        yield 'stride', self.stride
        yield 'nobias', self.nobias

    def forward(self, x: Any) -> Variable:
        """Applies the layer to ``x`` of shape ``(N, C, H, W)``."""
        if self.W.array is None:
            self._initialize_params(x.shape[1], tuple(x.shape[2:]))
        return local_convolution_2d(x, self.W, self.b, self.stride)
