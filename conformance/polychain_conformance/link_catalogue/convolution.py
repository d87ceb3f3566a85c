"""Link cases of the convolution and deconvolution layers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

import polychain.links as L
from polychain import initializers
from polychain.link import Link
from polychain_conformance.link_cases import LinkCase
from polychain_conformance.spec import Input, Tolerance


def _build(link: str, *args: Any, **kwargs: Any) -> Callable[[numpy.dtype], Link]:
    """``L.<link>(*args, **kwargs)`` with a random filter and bias of the cell's dtype."""
    def build(dtype: numpy.dtype) -> Link:
        return getattr(L, link)(*args, initialW=initializers.LeCunNormal(dtype=dtype),
                                initial_bias=initializers.Uniform(0.5, dtype=dtype), **kwargs)
    return build


def _deformable(dtype: numpy.dtype) -> Link:
    """Offsets of 0.5 plus at most 0.4: the sampled points stay off the integers (kinks)."""
    return L.DeformableConvolution2D(
        3, 2, 3, stride=2, pad=1, offset_initialW=initializers.Uniform(0.015, dtype=dtype),
        offset_initial_bias=initializers.Constant(0.5, dtype=dtype),
        deform_initialW=initializers.LeCunNormal(dtype=dtype),
        deform_initial_bias=initializers.Uniform(0.5, dtype=dtype))


# Sums of a few dozen products per output.
_SUMS = {'float32': Tolerance(1e-5, 1e-4, 1e-4, 1e-3, 1e-3)}

LINK_CASES: tuple[LinkCase, ...] = (
    LinkCase('Convolution2D', _build('Convolution2D', 3, 4, 3, stride=2, pad=1),
             (Input((2, 3, 5, 6)),), tolerances=_SUMS),
    LinkCase('Convolution2D', _build('Convolution2D', 4, 3), (Input((2, 3, 5, 5)),),
             name='Convolution2D_lazy', lazy=True, tolerances=_SUMS),
    LinkCase('Convolution2D', _build('Convolution2D', 4, 6, (2, 3), groups=2, dilate=(2, 1)),
             (Input((2, 4, 5, 5)),), name='Convolution2D_groups_dilate', tolerances=_SUMS),
    LinkCase('Convolution2D', lambda dtype: L.Convolution2D(2, 3, 2, nobias=True),
             (Input((2, 2, 4, 4)),), name='Convolution2D_default_initializers',
             dtypes=('float32',), tolerances=_SUMS),
    LinkCase('DilatedConvolution2D', _build('DilatedConvolution2D', 2, 3, 3, pad=2, dilate=2),
             (Input((2, 2, 5, 5)),), tolerances=_SUMS),
    LinkCase('Convolution1D', _build('Convolution1D', 3, 4, 3, stride=2, cover_all=True),
             (Input((2, 3, 8)),), tolerances=_SUMS),
    LinkCase('Convolution3D', _build('Convolution3D', 2, 3, 2, pad=(1, 0, 0)),
             (Input((1, 2, 3, 4, 3)),), tolerances=_SUMS),
    LinkCase('ConvolutionND', _build('ConvolutionND', 2, None, 4, 3, groups=2),
             (Input((2, 4, 4, 5)),), name='ConvolutionND_lazy_groups', lazy=True,
             tolerances=_SUMS),
    LinkCase('DeformableConvolution2D', _deformable, (Input((2, 3, 5, 6)),), tolerances=_SUMS),
    LinkCase('DeformableConvolution2D',
             lambda dtype: L.DeformableConvolution2D(None, 2, (2, 3), deform_nobias=True),
             (Input((2, 3, 4, 5)),), name='DeformableConvolution2D_lazy_default_initializers',
             lazy=True, dtypes=('float32',), tolerances=_SUMS),
    LinkCase('Deconvolution2D', _build('Deconvolution2D', 3, 2, 3, stride=2, pad=1),
             (Input((2, 3, 3, 4)),), tolerances=_SUMS),
    LinkCase('Deconvolution2D', _build('Deconvolution2D', 4, 3, stride=2, outsize=(8, 8)),
             (Input((2, 2, 3, 3)),), name='Deconvolution2D_lazy_outsize', lazy=True,
             tolerances=_SUMS),
    LinkCase('Deconvolution1D', _build('Deconvolution1D', 4, 2, 2, stride=2, groups=2),
             (Input((2, 4, 5)),), tolerances=_SUMS),
    LinkCase('Deconvolution3D', _build('Deconvolution3D', 2, 2, (1, 2, 2), dilate=(1, 1, 2)),
             (Input((1, 2, 2, 3, 2)),), tolerances=_SUMS),
    LinkCase('DeconvolutionND', _build('DeconvolutionND', 1, None, 3, 3, pad=1),
             (Input((2, 2, 6)),), name='DeconvolutionND_lazy', lazy=True, tolerances=_SUMS),
)
