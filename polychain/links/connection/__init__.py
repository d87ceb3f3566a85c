"""Links that connect inputs through weights."""

from polychain.links.connection.bias import Bias
from polychain.links.connection.bilinear import Bilinear
from polychain.links.connection.convolution_2d import Convolution2D, DilatedConvolution2D
from polychain.links.connection.convolution_nd import Convolution1D, Convolution3D, ConvolutionND
from polychain.links.connection.deconvolution_2d import Deconvolution2D
from polychain.links.connection.deconvolution_nd import (
    Deconvolution1D,
    Deconvolution3D,
    DeconvolutionND,
)
from polychain.links.connection.deformable_convolution_2d import DeformableConvolution2D
from polychain.links.connection.depthwise_convolution_2d import DepthwiseConvolution2D
from polychain.links.connection.embed_id import EmbedID
from polychain.links.connection.highway import Highway
from polychain.links.connection.inception import Inception
from polychain.links.connection.inceptionbn import InceptionBN
from polychain.links.connection.linear import Linear
from polychain.links.connection.local_convolution_2d import LocalConvolution2D
from polychain.links.connection.mlp_convolution_2d import MLPConvolution2D
from polychain.links.connection.parameter import Parameter
from polychain.links.connection.scale import Scale
from polychain.links.connection.simplified_dropconnect import SimplifiedDropconnect

__all__ = ['Bias', 'Bilinear', 'DeformableConvolution2D', 'DepthwiseConvolution2D', 'EmbedID',
           'Highway', 'Inception', 'InceptionBN',
           'Linear', 'LocalConvolution2D', 'MLPConvolution2D', 'Parameter', 'Scale',
           'SimplifiedDropconnect',
           'Convolution1D', 'Convolution2D', 'Convolution3D', 'ConvolutionND',
           'Deconvolution1D', 'Deconvolution2D', 'Deconvolution3D', 'DeconvolutionND',
           'DilatedConvolution2D']
