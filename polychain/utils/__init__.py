"""Helpers shared by the core and by user code (Chainer's ``chainer.utils``)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

from polychain.utils import (
    argument,
    array,
    cache,
    collections_abc,
    conv,
    conv_nd,
    precision,
    sparse,
    type_check,
)
from polychain.utils.array import size_of_shape, sum_to
from polychain.utils.array_coercion import force_array, force_type
from polychain.utils.conv import get_conv_outsize, get_deconv_outsize
from polychain.utils.experimental import experimental
from polychain.utils.meta import enable_final, final
from polychain.utils.nondeterministic import nondeterministic
from polychain.utils.sparse import CooMatrix, get_order, to_coo
from polychain.utils.walker_alias import WalkerAlias

__all__ = ['CooMatrix', 'WalkerAlias', 'enable_final', 'experimental', 'final', 'force_array',
           'force_type', 'get_conv_outsize', 'get_deconv_outsize', 'get_order',
           'nondeterministic', 'size_of_shape', 'sum_to', 'tempdir', 'to_coo',
           # submodules, reached as attributes (``utils.argument.parse_kwargs``) as in Chainer
           'argument', 'array', 'cache', 'collections_abc', 'conv', 'conv_nd', 'precision',
           'sparse', 'type_check']


@contextlib.contextmanager
def tempdir(**kwargs: Any) -> Iterator[str]:
    """A temporary directory, removed with its contents when the block ends.

    Args:
        kwargs: ``ignore_errors`` (default False) for the removal; the others
            go to :func:`tempfile.mkdtemp` (``suffix``, ``prefix``, ``dir``).
    """
    ignore_errors = kwargs.pop('ignore_errors', False)
    path = tempfile.mkdtemp(**kwargs)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=ignore_errors)
