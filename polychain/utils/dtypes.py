"""Dtype questions about arrays of any backend, answered through the Array API.

The core asks the namespace (``xp.isdtype``, ``xp.__array_namespace_info__``),
never the spelling of a dtype. A device question (where does an array live,
in the library's own terms) is ``array_api_compat.device(x)``.
"""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend import get_namespace

__all__ = ['has_float_dtype', 'host_dtype', 'is_float', 'namespace_dtype']


def is_float(xp: Any, dtype: Any) -> bool:
    """Whether ``dtype``, a dtype of the namespace ``xp``, is a real floating dtype."""
    return xp.isdtype(dtype, 'real floating')


def has_float_dtype(a: Any) -> bool:
    """Whether the array or Variable ``a`` (of any backend) has a real floating dtype."""
    return get_namespace(a).isdtype(a.dtype, 'real floating')


def namespace_dtype(xp: Any, dtype: Any) -> Any:
    """``dtype`` (a name, a NumPy dtype or scalar type, or a dtype of ``xp``) as ``xp`` spells it.

    Raises:
        TypeError: ``xp`` has no dtype of that name.
    """
    try:
        name = numpy.dtype(dtype).name
    except TypeError:  # already the namespace's own dtype object
        return dtype
    found = getattr(xp, name, None)
    if found is None:
        raise TypeError(f'expected a dtype the backend supports, received {name}')
    return found


def host_dtype(xp: Any, dtype: Any) -> numpy.dtype:
    """The NumPy dtype of the same name as ``dtype``, a dtype of the namespace ``xp``."""
    try:
        return numpy.dtype(dtype)
    except TypeError:  # a namespace with dtype objects of its own (array_api_strict)
        for name, candidate in xp.__array_namespace_info__().dtypes().items():
            if candidate == dtype:
                return numpy.dtype(name)
        raise
