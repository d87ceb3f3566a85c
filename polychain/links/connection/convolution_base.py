"""What the convolution and deconvolution links share: a filter, a bias, lazy creation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain import initializers
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.utils.windows import as_tuple


class ConvolutionLinkBase(Link):
    """A filter ``W`` and a bias ``b`` over ``ndim`` spatial axes, ``W`` created lazily.

    A convolution's filter has the shape ``(out_channels, in_channels / groups, *ksize)``;
    a deconvolution's (``transposed=True``) ``(in_channels, out_channels / groups, *ksize)``.

    Args:
        ndim: Number of spatial axes.
        in_channels: Input channels, or ``None`` to infer them from the first input.
        out_channels: Output channels.
        ksize: Filter size: an int or one int per spatial axis.
        stride: Stride: an int or one int per spatial axis.
        pad: Padding: an int or one int per spatial axis.
        nobias: Leave the bias out.
        initialW: Initializer of ``W`` (default :class:`~polychain.initializers.LeCunNormal`).
        initial_bias: Initializer of ``b`` (default 0).
        dilate: Dilation: an int or one int per spatial axis.
        groups: Number of groups splitting input and output channels.
        transposed: Whether the filter is a deconvolution's.
    """

    def __init__(self, ndim: int, in_channels: int | None, out_channels: int, ksize: Any,
                 stride: Any, pad: Any, nobias: bool, initialW: Any,  # noqa: N803
                 initial_bias: Any, dilate: Any, groups: int, transposed: bool) -> None:
        super().__init__()
        name = type(self).__name__
        if ksize is None:
            raise TypeError(f'{name}: expected ksize, received None')
        self.ksize = as_tuple(ksize, ndim, name, 'ksize')
        self.stride = as_tuple(stride, ndim, name, 'stride')
        self.pad = as_tuple(pad, ndim, name, 'pad')
        self.dilate = as_tuple(dilate, ndim, name, 'dilate')
        self.groups = int(groups)
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.nobias = nobias
        self._transposed = transposed
        self._check_groups('out_channels', out_channels)
        with self.init_scope():
            self.W = Parameter(initializers.get_initializer(initialW))
            if nobias:
                self.b = None
            else:
                bias_init = 0 if initial_bias is None else initial_bias
                self.b = Parameter(initializers.get_initializer(bias_init), out_channels)
        if in_channels is not None:
            self._initialize_params(in_channels)

    def _check_groups(self, argument: str, channels: int) -> None:
        if channels % self.groups:
            raise ValueError(f'{type(self).__name__}: expected {argument} divisible by '
                             f'groups={self.groups}, received {channels}')

    def _uninitialized_shape(self, name: str) -> tuple[int | None, ...] | None:
        if name != 'W':
            return None
        channels = (None, self.out_channels // self.groups) if self._transposed \
            else (self.out_channels, None)
        return channels + self.ksize

    def _initialize_params(self, in_channels: int) -> None:
        self._check_groups('in_channels', in_channels)
        self.in_channels = in_channels
        if self._transposed:
            shape = (in_channels, self.out_channels // self.groups)
        else:
            shape = (self.out_channels, in_channels // self.groups)
        self.W.initialize(shape + self.ksize)

    def _ensure_params(self, x: Any) -> None:
        """Creates ``W`` from the channels of the first input ``x``."""
        if self.W.array is None:
            self._initialize_params(x.shape[1])

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        for name in ('in_channels', 'out_channels', 'ksize', 'stride', 'pad', 'dilate',
                     'groups', 'nobias'):
            yield name, getattr(self, name)


def shift_short_form(in_channels: Any, out_channels: Any, ksize: Any) -> tuple[Any, Any, Any]:
    """``(in_channels, out_channels, ksize)`` from Chainer's short form ``(out_channels, ksize)``.

    When ``ksize`` is ``None`` the first two arguments were the output channels and
    the filter size, and the input channels are inferred.
    """
    if ksize is None:
        return None, in_channels, out_channels
    return in_channels, out_channels, ksize
