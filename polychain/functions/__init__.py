"""Differentiable functions on Variables (Chainer's ``chainer.functions``, usually ``F``)."""

from polychain.functions.activation.relu import relu
from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.activation.tanh import tanh
from polychain.functions.array.broadcast import broadcast_to, sum_to
from polychain.functions.array.get_item import get_item
from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.connection.linear import linear
from polychain.functions.math.basic_math import absolute, install_variable_arithmetics
from polychain.functions.math.exponential import exp, log, sqrt
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import mean, sum

install_variable_arithmetics()

__all__ = [
    'absolute', 'broadcast_to', 'exp', 'get_item', 'linear', 'log', 'matmul', 'mean', 'relu',
    'reshape', 'sigmoid', 'sqrt', 'sum', 'sum_to', 'tanh', 'transpose',
]
