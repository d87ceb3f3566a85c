"""The scale (gamma) and shift (beta) parameters that normalization links share."""

from __future__ import annotations

import copy
from typing import Any

from polychain import initializers
from polychain.initializers import Initializer


def initializer_of(initial: Any, default: float, dtype: Any = None) -> Initializer:
    """An initializer from ``initial`` (``None``: the constant ``default``).

    With ``dtype``, a copy of the initializer that produces ``dtype`` is returned
    (the caller's initializer is left as it was).
    """
    initializer = initializers.get_initializer(default if initial is None else initial)
    if dtype is not None and isinstance(initializer, Initializer):
        initializer = copy.copy(initializer)
        initializer.dtype = dtype
    return initializer
