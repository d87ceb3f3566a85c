"""Activation functions."""

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

__all__ = ['clipped_relu', 'crelu', 'elu', 'gelu', 'hard_sigmoid', 'leaky_relu', 'log_softmax',
           'maxout', 'prelu', 'relu', 'relu6', 'rrelu', 'selu', 'sigmoid', 'softmax', 'softplus',
           'swish', 'tanh']
