"""Functions that connect inputs through weights."""

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
from polychain.functions.connection.depthwise_convolution_2d import depthwise_convolution_2d
from polychain.functions.connection.embed_id import embed_id
from polychain.functions.connection.linear import linear
from polychain.functions.connection.local_convolution_2d import local_convolution_2d
from polychain.functions.connection.shift import shift

__all__ = ['linear', 'convolution_1d', 'convolution_2d', 'convolution_3d', 'convolution_nd',
           'dilated_convolution_2d', 'deconvolution_1d', 'deconvolution_2d', 'deconvolution_3d',
           'deconvolution_nd', 'bilinear', 'depthwise_convolution_2d', 'embed_id',
           'local_convolution_2d', 'shift']
