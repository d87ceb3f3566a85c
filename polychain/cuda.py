"""``polychain.cuda``: Chainer's older path of :mod:`polychain.backends.cuda` (one module)."""

import sys

from polychain.backends import cuda

sys.modules[__name__] = cuda
