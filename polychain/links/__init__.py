"""Links: layers with parameters (Chainer's ``chainer.links``, usually ``L``).

Each category package lists its public links in its own ``__all__``; this
module re-exports all of them.
"""

from polychain.links import activation, connection, loss, model, normalization, rnn, theano
from polychain.links.activation import *  # noqa: F403
from polychain.links.connection import *  # noqa: F403
from polychain.links.loss import *  # noqa: F403
from polychain.links.model import *  # noqa: F403
from polychain.links.normalization import *  # noqa: F403
from polychain.links.rnn import *  # noqa: F403
from polychain.links.theano import *  # noqa: F403

__all__ = sorted(activation.__all__ + connection.__all__ + loss.__all__ + model.__all__ +
                 normalization.__all__ + rnn.__all__ + theano.__all__)
