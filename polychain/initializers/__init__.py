"""Initializers fill new parameters; they draw on the host and the result is sent to the device.

They draw from NumPy's global random state (``numpy.random``) unless given an
``rng``, so the same ``numpy.random.seed`` gives bit-identical parameters on
every backend.
"""

from polychain.initializers.base import Initializer
from polychain.initializers.constant import Constant, NaN, One, Zero
from polychain.initializers.generation import generate_array, get_initializer
from polychain.initializers.normal import GlorotNormal, HeNormal, LeCunNormal, Normal
from polychain.initializers.orthogonal import Identity, Orthogonal
from polychain.initializers.sampling import DownsamplingConvFilter, UpsamplingDeconvFilter
from polychain.initializers.uniform import GlorotUniform, HeUniform, LeCunUniform, Uniform

#: Chainer's name of :func:`get_initializer`.
_get_initializer = get_initializer

__all__ = ['Constant', 'DownsamplingConvFilter', 'GlorotNormal', 'GlorotUniform', 'HeNormal',
           'HeUniform', 'Identity', 'Initializer', 'LeCunNormal', 'LeCunUniform', 'NaN',
           'Normal', 'One', 'Orthogonal', 'Uniform', 'UpsamplingDeconvFilter', 'Zero',
           'generate_array', 'get_initializer']
