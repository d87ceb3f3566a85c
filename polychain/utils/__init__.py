"""Helpers shared by the core and by user code (Chainer's ``chainer.utils``)."""

from polychain.utils import type_check
from polychain.utils.array_coercion import force_array, force_type, size_of_shape
from polychain.utils.experimental import experimental
from polychain.utils.walker_alias import WalkerAlias

__all__ = ['WalkerAlias', 'experimental', 'force_array', 'force_type', 'size_of_shape',
           'type_check']
