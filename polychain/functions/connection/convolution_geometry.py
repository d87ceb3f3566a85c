"""Arguments and window geometry shared by the convolution and deconvolution functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from polychain.utils.conv import get_conv_outsize, get_deconv_outsize
from polychain.utils.type_check import InvalidType, expect_float
from polychain.utils.windows import WindowGeometry, as_tuple


@dataclass(frozen=True)
class ConvolutionSpec:
    """The hyperparameters of an N-dimensional (de)convolution.

    Args:
        stride: Stride per spatial axis.
        pad: Padding on both sides per spatial axis.
        dilate: Dilation per spatial axis.
        groups: Number of channel groups.
    """

    stride: tuple[int, ...]
    pad: tuple[int, ...]
    dilate: tuple[int, ...]
    groups: int

    @classmethod
    def parse(cls, ndim: int, stride: Any, pad: Any, dilate: Any, groups: Any,
              function: str) -> ConvolutionSpec:
        """Normalises and checks user arguments; errors name ``function``."""
        spec = cls(as_tuple(stride, ndim, function, 'stride'), as_tuple(pad, ndim, function, 'pad'),
                   as_tuple(dilate, ndim, function, 'dilate'), groups)
        if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
            raise ValueError(f'{function}: expected a positive int as groups, received '
                             f'{groups!r}')
        if min(spec.stride + spec.dilate) < 1 or min(spec.pad) < 0:
            raise ValueError(f'{function}: expected positive stride and dilate and a '
                             f'non-negative pad, received stride={spec.stride}, '
                             f'dilate={spec.dilate}, pad={spec.pad}')
        return spec

    @property
    def ndim(self) -> int:
        """Number of spatial axes."""
        return len(self.stride)

    def conv_outsize(self, in_size: tuple[int, ...], ksize: tuple[int, ...],
                     cover_all: bool) -> tuple[int, ...]:
        """Spatial output shape of the convolution of an input of spatial shape ``in_size``."""
        return tuple(get_conv_outsize(n, k, s, p, cover_all, d) for n, k, s, p, d in
                     zip(in_size, ksize, self.stride, self.pad, self.dilate))

    def deconv_outsize(self, in_size: tuple[int, ...], ksize: tuple[int, ...]) -> tuple[int, ...]:
        """Spatial output shape of the deconvolution of spatial shape ``in_size``."""
        return tuple(get_deconv_outsize(n, k, s, p, False, d) for n, k, s, p, d in
                     zip(in_size, ksize, self.stride, self.pad, self.dilate))

    def geometry(self, in_size: tuple[int, ...], ksize: tuple[int, ...],
                 cover_all: bool) -> WindowGeometry:
        """Windows of the convolution of an input of spatial shape ``in_size``."""
        return WindowGeometry(in_size, ksize, self.stride, self.pad, cover_all, self.dilate)


def check_filter(xp: Any, function: str, x: Any, W: Any, in_axis: int,  # noqa: N803
                 ndim: int, groups: int) -> None:
    """Raises :class:`InvalidType` unless ``x`` and the filter ``W`` fit together.

    ``W.shape[in_axis] * (groups if in_axis else 1)`` must equal the input channels.
    """
    if x.ndim != ndim + 2 or W.ndim != ndim + 2:
        raise InvalidType(f'x.ndim == W.ndim == {ndim + 2} in {function}',
                          f'x.shape == {tuple(x.shape)}, W.shape == {tuple(W.shape)}')
    in_channels = W.shape[in_axis] * (groups if in_axis else 1)
    if x.shape[1] != in_channels or W.shape[0] % groups:
        expected = 'W.shape[1] * groups' if in_axis else 'W.shape[0]'
        raise InvalidType(f'x.shape[1] == {expected} and W.shape[0] % groups == 0 in '
                          f'{function}', f'x.shape == {tuple(x.shape)}, W.shape == '
                          f'{tuple(W.shape)}, groups == {groups}')
    expect_float(xp, x, 'x')
    expect_float(xp, W, 'W')


def check_bias(function: str, b: Any, out_channels: int, dtype: Any) -> None:
    """Raises :class:`InvalidType` unless ``b`` is a vector of ``out_channels`` of ``dtype``."""
    if tuple(b.shape) != (out_channels,) or b.dtype != dtype:
        raise InvalidType(f'b.shape == ({out_channels},) and b.dtype == {dtype} in {function}',
                          f'b.shape == {tuple(b.shape)}, b.dtype == {b.dtype}')


def check_outsize(function: str, outsize: tuple[int, ...]) -> None:
    """Raises ``ValueError`` when an output length is not positive."""
    if min(outsize) < 1:
        raise ValueError(f'{function}: expected a positive output size, received {outsize} '
                         f'(the kernel with its dilation does not fit the padded input)')
