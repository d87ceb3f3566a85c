"""The abstract collection classes, under Chainer's name ``utils.collections_abc``."""

from collections.abc import *  # noqa: F403
from collections.abc import __all__  # noqa: F401
