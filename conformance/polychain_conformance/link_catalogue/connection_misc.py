"""Link cases of EmbedID, Bilinear, Bias, Scale, Highway, LocalConvolution2D,
DepthwiseConvolution2D, SimplifiedDropconnect, MLPConvolution2D, Inception and InceptionBN."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

import polychain.functions as F
import polychain.links as L
from polychain import initializers
from polychain.link import Link
from polychain_conformance.link_cases import LinkCase
from polychain_conformance.spec import ArrayConstant, Input


def _normal(dtype: numpy.dtype) -> initializers.Initializer:
    return initializers.Normal(0.5, dtype=dtype)


def _bilinear(nobias: bool) -> Callable[[numpy.dtype], Link]:
    def build(dtype: numpy.dtype) -> Link:
        bias = None if nobias else (_normal(dtype), _normal(dtype),
                                    initializers.Uniform(0.5, dtype=dtype))
        return L.Bilinear(3, 2, 4, nobias=nobias, initialW=_normal(dtype), initial_bias=bias)
    return build


def _highway(**kwargs: Any) -> Callable[[numpy.dtype], Link]:
    def build(dtype: numpy.dtype) -> Link:
        return L.Highway(4, init_Wh=_normal(dtype), init_Wt=_normal(dtype),
                         init_bh=initializers.Uniform(0.5, dtype=dtype),
                         init_bt=initializers.Uniform(0.5, dtype=dtype), **kwargs)
    return build


def _local_convolution(in_channels: int | None, in_size: Any) -> Callable[[numpy.dtype], Link]:
    def build(dtype: numpy.dtype) -> Link:
        return L.LocalConvolution2D(in_channels, 3, in_size, ksize=(2, 3), stride=(1, 2),
                                    initialW=_normal(dtype),
                                    initial_bias=initializers.Uniform(0.5, dtype=dtype))
    return build


def _depthwise(in_channels: int | None, **kwargs: Any) -> Callable[[numpy.dtype], Link]:
    def build(dtype: numpy.dtype) -> Link:
        return L.DepthwiseConvolution2D(in_channels, 2, 3, initialW=_normal(dtype),
                                        initial_bias=initializers.Uniform(0.5, dtype=dtype),
                                        **kwargs)
    return build


_IDS = ArrayConstant([[0, 2, 5], [5, 1, -1]], 'int32')

LINK_CASES: tuple[LinkCase, ...] = (
    LinkCase('EmbedID', lambda dtype: L.EmbedID(6, 3, initialW=_normal(dtype)),
             (ArrayConstant([[0, 2, 5], [5, 1, 1]], 'int32'),)),
    LinkCase('EmbedID', lambda dtype: L.EmbedID(6, 3, initialW=_normal(dtype), ignore_label=-1),
             (_IDS,), name='EmbedID_ignore_label'),
    LinkCase('Bilinear', _bilinear(False), (Input((5, 3)), Input((5, 2)))),
    LinkCase('Bilinear', _bilinear(True), (Input((5, 3)), Input((5, 2))),
             name='Bilinear_nobias'),
    LinkCase('Bias', lambda dtype: L.Bias(1, (3, 4)), (Input((2, 3, 4, 2)),)),
    LinkCase('Bias', lambda dtype: L.Bias(axis=2), (Input((2, 3, 4)), Input((4,))),
             name='Bias_given_operand'),
    LinkCase('Scale', lambda dtype: L.Scale(1, (3,), bias_term=True), (Input((2, 3, 4)),)),
    LinkCase('Scale', lambda dtype: L.Scale(1, bias_term=True, bias_shape=(3,)),
             (Input((2, 3, 4)), Input((3,))), name='Scale_given_operand'),
    LinkCase('Highway', _highway(activate=F.tanh), (Input((5, 4)),)),
    LinkCase('Highway', _highway(nobias=True, activate=F.sigmoid), (Input((5, 4)),),
             name='Highway_nobias'),
    LinkCase('LocalConvolution2D', _local_convolution(2, (5, 6)), (Input((2, 2, 5, 6)),)),
    LinkCase('LocalConvolution2D', _local_convolution(None, None), (Input((2, 2, 5, 6)),),
             name='LocalConvolution2D_lazy', lazy=True),
    LinkCase('DepthwiseConvolution2D', _depthwise(3, stride=2, pad=1), (Input((2, 3, 6, 5)),)),
    LinkCase('DepthwiseConvolution2D', _depthwise(None), (Input((2, 3, 5, 4)),),
             name='DepthwiseConvolution2D_lazy', lazy=True),
    # A ratio of 0 keeps every weight: the same numbers on every backend.
    LinkCase('SimplifiedDropconnect', lambda dtype: L.SimplifiedDropconnect(
        3, 2, ratio=0.0, initialW=_normal(dtype)), (Input((4, 3)),)),
    LinkCase('MLPConvolution2D', lambda dtype: L.MLPConvolution2D(
        2, (3, 2), 2, activation=F.tanh, conv_init=_normal(dtype)), (Input((2, 2, 4, 4)),)),
    LinkCase('Inception', lambda dtype: L.Inception(2, 2, 2, 2, 1, 2, 1, conv_init=_normal(dtype)),
             (Input((2, 2, 5, 5)),)),
    LinkCase('InceptionBN', lambda dtype: L.InceptionBN(2, 2, 2, 2, 1, 2, 'avg', 1,
                                                        conv_init=_normal(dtype), dtype=dtype),
             (Input((3, 2, 5, 5)),)),
)
