"""Initializers fill new parameters; they draw on the host and the result is sent to the device.

The same NumPy seed therefore gives bit-identical parameters on every backend.
"""

from polychain.initializers.base import Initializer, generate_array, get_initializer
from polychain.initializers.constant import Constant, NaN, One, Zero
from polychain.initializers.normal import LeCunNormal, Normal

__all__ = ['Constant', 'Initializer', 'LeCunNormal', 'NaN', 'Normal', 'One', 'Zero',
           'generate_array', 'get_initializer']
