"""The scale (gamma) and shift (beta) parameters that normalization links share."""

from __future__ import annotations

import copy
from typing import Any

import numpy

from polychain import initializers
from polychain.configuration import get_dtype
from polychain.initializers import Initializer


def initializer_of(initial: Any, default: float, dtype: Any = None) -> Initializer:
    """An initializer from ``initial`` (``None``: the constant ``default``).

    A copy of the initializer that produces ``dtype`` is returned (the caller's
    initializer is left as it was); ``dtype`` defaults to ``config.dtype`` now,
    float32 under ``mixed16``, as Chainer's normalization links keep their
    parameters in the higher precision.
    """
    if dtype is None:
        dtype = get_dtype(map_mixed16=numpy.float32)
    initializer = initializers.get_initializer(default if initial is None else initial)
    if isinstance(initializer, Initializer):
        initializer = copy.copy(initializer)
        initializer.dtype = dtype
    return initializer
