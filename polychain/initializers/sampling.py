"""Interpolation filters for up- and downsampling layers."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.initializers.base import Initializer

_INTERPOLATIONS = ('linear',)


def _linear_kernel(size: int) -> numpy.ndarray:
    """The 1-d triangle (linear interpolation) kernel of ``size`` taps (sums to (size+1)//2)."""
    factor = (size + 1) // 2
    center = factor - 1 if size % 2 == 1 else factor - 0.5
    return 1 - numpy.abs(numpy.arange(size) - center) / factor


class _SamplingFilter(Initializer):
    """Fills ``(channels, channels or 1, *kernel)`` with one interpolation filter per channel.

    Subclasses set ``normalize``: whether each filter sums to 1.
    """

    normalize: bool

    def __init__(self, interpolation: str = 'linear', dtype: Any = None) -> None:
        super().__init__(dtype)
        if interpolation not in _INTERPOLATIONS:
            raise ValueError(f'{type(self).__name__}: expected interpolation among '
                             f'{_INTERPOLATIONS}, received {interpolation!r}')
        self.interpolation = interpolation

    def fill(self, array: numpy.ndarray) -> None:
        if array.ndim < 3 or array.shape[1] not in (1, array.shape[0]):
            raise ValueError(f'{type(self).__name__}: expected a shape (channels, channels '
                             f'or 1, *kernel), received {array.shape}')
        kernel = numpy.ones(())
        for size in array.shape[2:]:
            kernel = numpy.multiply.outer(kernel, _linear_kernel(size))
        if self.normalize:
            kernel = kernel / kernel.sum()
        if array.shape[1] == 1:
            array[...] = kernel
            return
        array[...] = 0
        channels = numpy.arange(array.shape[0])
        array[channels, channels] = kernel


class UpsamplingDeconvFilter(_SamplingFilter):
    """Linear-interpolation filters for a deconvolution that upsamples each channel.

    Args:
        interpolation: ``'linear'``.
        dtype: The dtype of the generated arrays.
    """

    normalize = False


class DownsamplingConvFilter(_SamplingFilter):
    """Averaging linear-interpolation filters (each sums to 1) for a downsampling convolution.

    Args:
        interpolation: ``'linear'``.
        dtype: The dtype of the generated arrays.
    """

    normalize = True
