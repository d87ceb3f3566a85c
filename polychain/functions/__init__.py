"""Differentiable functions on Variables (Chainer's ``chainer.functions``, usually ``F``).

As in Chainer, each function lives in a module of its category
(``polychain.functions.math.einsum`` is the module, ``polychain.functions.einsum``
the function); this package imports every public function from its module.
"""

from polychain.functions._variable_methods import (
    install_variable_methods as _install_variable_methods,
)
from polychain.functions.activation.clipped_relu import clipped_relu, relu6
from polychain.functions.activation.crelu import crelu
from polychain.functions.activation.elu import elu, selu
from polychain.functions.activation.gelu import gelu
from polychain.functions.activation.hard_sigmoid import hard_sigmoid
from polychain.functions.activation.leaky_relu import leaky_relu
from polychain.functions.activation.maxout import maxout
from polychain.functions.activation.prelu import prelu
from polychain.functions.activation.relu import relu
from polychain.functions.activation.rrelu import rrelu
from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.softmax import log_softmax, softmax
from polychain.functions.activation.softplus import softplus
from polychain.functions.activation.swish import swish
from polychain.functions.activation.tanh import tanh
from polychain.functions.array.as_strided import as_strided
from polychain.functions.array.broadcast import broadcast, broadcast_to, sum_to
from polychain.functions.array.cast import cast
from polychain.functions.array.concat import concat, split_axis
from polychain.functions.array.copy import copy
from polychain.functions.array.depth2space import depth2space, space2depth
from polychain.functions.array.diagonal import diagonal
from polychain.functions.array.flip import flip, fliplr, flipud
from polychain.functions.array.get_item import get_item
from polychain.functions.array.im2col import im2col
from polychain.functions.array.pad import pad, pad_sequence
from polychain.functions.array.permutate import permutate
from polychain.functions.array.reshape import expand_dims, flatten, reshape, squeeze
from polychain.functions.array.resize_images import resize_images
from polychain.functions.array.scatter_add import scatter_add
from polychain.functions.array.select_item import select_item
from polychain.functions.array.spatial_transformer_grid import spatial_transformer_grid
from polychain.functions.array.spatial_transformer_sampler import spatial_transformer_sampler
from polychain.functions.array.stack import dstack, hstack, separate, stack, vstack
from polychain.functions.array.tile import repeat, tile
from polychain.functions.array.transpose import moveaxis, rollaxis, swapaxes, transpose
from polychain.functions.array.transpose_sequence import transpose_sequence
from polychain.functions.array.where import where
from polychain.functions.connection.bilinear import bilinear
from polychain.functions.connection.convolution_2d import convolution_2d, dilated_convolution_2d
from polychain.functions.connection.convolution_nd import (
    convolution_1d,
    convolution_3d,
    convolution_nd,
)
from polychain.functions.connection.deconvolution_2d import deconvolution_2d
from polychain.functions.connection.deconvolution_nd import (
    deconvolution_1d,
    deconvolution_3d,
    deconvolution_nd,
)
from polychain.functions.connection.deformable_convolution_2d_sampler import (
    deformable_convolution_2d_sampler,
)
from polychain.functions.connection.depthwise_convolution_2d import depthwise_convolution_2d
from polychain.functions.connection.embed_id import embed_id
from polychain.functions.connection.linear import linear
from polychain.functions.connection.local_convolution_2d import local_convolution_2d
from polychain.functions.connection.shift import shift
from polychain.functions.evaluation.accuracy import accuracy
from polychain.functions.evaluation.binary_accuracy import binary_accuracy
from polychain.functions.evaluation.classification_summary import (
    classification_summary,
    f1_score,
    precision,
    recall,
)
from polychain.functions.evaluation.r2_score import r2_score
from polychain.functions.loss.absolute_error import absolute_error, mean_absolute_error
from polychain.functions.loss.black_out import black_out
from polychain.functions.loss.contrastive import contrastive
from polychain.functions.loss.crf1d import argmax_crf1d, crf1d
from polychain.functions.loss.cross_covariance import cross_covariance
from polychain.functions.loss.ctc import connectionist_temporal_classification
from polychain.functions.loss.decov import decov
from polychain.functions.loss.discriminative_loss import (
    discriminative_margin_based_clustering_loss,
)
from polychain.functions.loss.hinge import hinge
from polychain.functions.loss.huber_loss import huber_loss
from polychain.functions.loss.negative_sampling import negative_sampling
from polychain.functions.loss.sigmoid_cross_entropy import sigmoid_cross_entropy
from polychain.functions.loss.softmax_cross_entropy import softmax_cross_entropy
from polychain.functions.loss.squared_error import mean_squared_error, squared_error
from polychain.functions.loss.triplet import triplet
from polychain.functions.loss.vae import bernoulli_nll, gaussian_kl_divergence, gaussian_nll
from polychain.functions.math.average import average
from polychain.functions.math.basic_math import absolute, add
from polychain.functions.math.basic_math import (
    install_variable_arithmetics as _install_variable_arithmetics,
)
from polychain.functions.math.clip import clip
from polychain.functions.math.combination import (
    batch_l2_norm_squared,
    bias,
    linear_interpolate,
    scale,
    squared_difference,
)
from polychain.functions.math.cumulative import cumprod, cumsum
from polychain.functions.math.einsum import einsum
from polychain.functions.math.erf import erf
from polychain.functions.math.erfcinv import erfcinv
from polychain.functions.math.erfcx import erfcx
from polychain.functions.math.exponential import exp, log, sqrt
from polychain.functions.math.fft import fft, ifft
from polychain.functions.math.fmod import fmod
from polychain.functions.math.hyperbolic import arctanh, cosh, sinh
from polychain.functions.math.identity import identity
from polychain.functions.math.linalg import batch_det, batch_inv, cholesky, det, inv
from polychain.functions.math.log_ndtr import log_ndtr
from polychain.functions.math.logarithm import expm1, log1p, log2, log10
from polychain.functions.math.logsumexp import logsumexp
from polychain.functions.math.matmul import matmul
from polychain.functions.math.minmax import (  # noqa: A004
    argmax,
    argmin,
    max,
    maximum,
    min,
    minimum,
)
from polychain.functions.math.ndtr import ndtr
from polychain.functions.math.ndtri import ndtri
from polychain.functions.math.polygamma import polygamma
from polychain.functions.math.power import rsqrt, square
from polychain.functions.math.prod import prod
from polychain.functions.math.rounding import ceil, fix, floor, sign
from polychain.functions.math.sparse_matmul import sparse_matmul
from polychain.functions.math.special import digamma, erfc, erfinv, lgamma
from polychain.functions.math.sum import mean, sum  # noqa: A004
from polychain.functions.math.tensordot import batch_matmul, tensordot
from polychain.functions.math.trigonometric import (
    arccos,
    arcsin,
    arctan,
    arctan2,
    cos,
    sin,
    tan,
)
from polychain.functions.math.zeta import zeta
from polychain.functions.noise.dropout import dropout
from polychain.functions.noise.gaussian import gaussian
from polychain.functions.noise.gumbel_softmax import gumbel_softmax
from polychain.functions.noise.simplified_dropconnect import simplified_dropconnect
from polychain.functions.noise.zoneout import zoneout
from polychain.functions.normalization.batch_normalization import (
    batch_normalization,
    fixed_batch_normalization,
)
from polychain.functions.normalization.batch_renormalization import (
    batch_renormalization,
    fixed_batch_renormalization,
)
from polychain.functions.normalization.decorrelated_batch_normalization import (
    decorrelated_batch_normalization,
    fixed_decorrelated_batch_normalization,
)
from polychain.functions.normalization.group_normalization import group_normalization
from polychain.functions.normalization.l2_normalization import normalize
from polychain.functions.normalization.layer_normalization import layer_normalization
from polychain.functions.normalization.local_response_normalization import (
    local_response_normalization,
)
from polychain.functions.pooling.average_pooling import (
    average_pooling_1d,
    average_pooling_2d,
    average_pooling_3d,
    average_pooling_nd,
)
from polychain.functions.pooling.max_pooling import (
    max_pooling_1d,
    max_pooling_2d,
    max_pooling_3d,
    max_pooling_nd,
)
from polychain.functions.pooling.roi_align import roi_average_align_2d, roi_max_align_2d
from polychain.functions.pooling.roi_pooling import (
    roi_average_pooling_2d,
    roi_max_pooling_2d,
    roi_pooling_2d,
)
from polychain.functions.pooling.spatial_pyramid_pooling import spatial_pyramid_pooling_2d
from polychain.functions.pooling.unpooling import (
    unpooling_1d,
    unpooling_2d,
    unpooling_3d,
    unpooling_nd,
    upsampling_2d,
)
from polychain.functions.rnn.lstm import lstm
from polychain.functions.rnn.n_step_gru import n_step_bigru, n_step_gru
from polychain.functions.rnn.n_step_lstm import n_step_bilstm, n_step_lstm
from polychain.functions.rnn.n_step_rnn import n_step_birnn, n_step_rnn
from polychain.functions.rnn.slstm import slstm
from polychain.functions.rnn.tree_lstm import tree_lstm
from polychain.functions.util.forget import forget

_install_variable_arithmetics()
_install_variable_methods()

__all__ = [
    'absolute', 'absolute_error', 'accuracy', 'add', 'arccos', 'arcsin', 'arctan', 'arctan2',
    'arctanh', 'argmax', 'argmax_crf1d', 'argmin', 'as_strided', 'average', 'average_pooling_1d',
    'average_pooling_2d',
    'average_pooling_3d', 'average_pooling_nd', 'batch_det', 'batch_inv',
    'batch_l2_norm_squared', 'batch_matmul', 'batch_normalization', 'batch_renormalization',
    'bernoulli_nll', 'bias', 'bilinear', 'binary_accuracy', 'black_out', 'broadcast',
    'broadcast_to', 'cast',
    'ceil', 'cholesky', 'classification_summary', 'clip', 'clipped_relu', 'concat',
    'connectionist_temporal_classification', 'contrastive', 'convolution_1d', 'convolution_2d',
    'convolution_3d', 'convolution_nd', 'copy', 'cos', 'cosh', 'crelu', 'crf1d', 'cross_covariance',
    'cumprod',
    'cumsum',
    'deconvolution_1d', 'deconvolution_2d', 'deconvolution_3d', 'deconvolution_nd', 'decov',
    'decorrelated_batch_normalization', 'deformable_convolution_2d_sampler',
    'depth2space', 'depthwise_convolution_2d', 'det', 'diagonal', 'digamma',
    'dilated_convolution_2d', 'discriminative_margin_based_clustering_loss', 'dropout',
    'dstack', 'einsum', 'elu', 'embed_id', 'erf', 'erfc',
    'erfcinv', 'erfcx', 'erfinv', 'exp', 'expand_dims', 'expm1', 'f1_score', 'fft', 'fix',
    'fixed_batch_normalization',
    'fixed_batch_renormalization', 'fixed_decorrelated_batch_normalization',
    'flatten', 'flip', 'fliplr', 'flipud', 'floor', 'fmod', 'forget', 'gaussian',
    'gaussian_kl_divergence', 'gaussian_nll', 'gelu', 'get_item', 'group_normalization',
    'gumbel_softmax', 'hard_sigmoid', 'hinge', 'hstack', 'huber_loss', 'identity', 'ifft', 'im2col',
    'inv', 'layer_normalization', 'leaky_relu', 'lgamma', 'linear', 'linear_interpolate',
    'local_convolution_2d', 'local_response_normalization', 'log', 'log10', 'log1p', 'log2',
    'log_ndtr', 'log_softmax', 'logsumexp', 'lstm', 'matmul', 'max', 'max_pooling_1d',
    'max_pooling_2d',
    'max_pooling_3d', 'max_pooling_nd', 'maximum', 'maxout', 'mean', 'mean_absolute_error',
    'mean_squared_error', 'min', 'minimum', 'moveaxis', 'n_step_bigru', 'n_step_bilstm',
    'n_step_birnn', 'n_step_gru', 'n_step_lstm', 'n_step_rnn', 'negative_sampling',
    'ndtr', 'ndtri', 'normalize', 'pad',
    'pad_sequence', 'permutate', 'polygamma', 'precision', 'prelu', 'prod', 'r2_score', 'recall',
    'relu',
    'relu6', 'repeat', 'reshape', 'resize_images', 'roi_average_align_2d',
    'roi_average_pooling_2d', 'roi_max_align_2d', 'roi_max_pooling_2d', 'roi_pooling_2d',
    'rollaxis', 'rrelu',
    'rsqrt', 'scale', 'scatter_add', 'select_item', 'selu', 'separate', 'shift', 'sigmoid',
    'sigmoid_cross_entropy', 'sign', 'simplified_dropconnect', 'sin', 'sinh', 'slstm',
    'softmax', 'softmax_cross_entropy', 'softplus', 'space2depth', 'sparse_matmul',
    'spatial_pyramid_pooling_2d',
    'spatial_transformer_grid', 'spatial_transformer_sampler',
    'split_axis', 'sqrt', 'square', 'squared_difference', 'squared_error', 'squeeze', 'stack',
    'sum', 'sum_to', 'swapaxes', 'swish', 'tan', 'tanh', 'tensordot', 'tile', 'transpose',
    'transpose_sequence', 'tree_lstm', 'triplet', 'unpooling_1d', 'unpooling_2d', 'unpooling_3d',
    'unpooling_nd', 'upsampling_2d', 'vstack', 'where', 'zeta', 'zoneout',
]
