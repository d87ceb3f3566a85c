"""Differentiable functions on Variables (Chainer's ``chainer.functions``, usually ``F``).

Each category package lists its public functions in its own ``__all__``;
this module re-exports all of them.
"""

from polychain.functions import (
    activation,
    array,
    connection,
    evaluation,
    loss,
    math,
    noise,
    normalization,
    pooling,
    rnn,
    util,
)
from polychain.functions.activation import *  # noqa: F403
from polychain.functions.array import *  # noqa: F403
from polychain.functions.connection import *  # noqa: F403
from polychain.functions.evaluation import *  # noqa: F403
from polychain.functions.loss import *  # noqa: F403
from polychain.functions.math import *  # noqa: F403
from polychain.functions.math.basic_math import install_variable_arithmetics
from polychain.functions.noise import *  # noqa: F403
from polychain.functions.normalization import *  # noqa: F403
from polychain.functions.pooling import *  # noqa: F403
from polychain.functions.rnn import *  # noqa: F403
from polychain.functions.util import *  # noqa: F403

install_variable_arithmetics()

__all__ = sorted(activation.__all__ + array.__all__ + connection.__all__ + evaluation.__all__ +
                 loss.__all__ + math.__all__ + noise.__all__ + normalization.__all__ +
                 pooling.__all__ + rnn.__all__ + util.__all__)
