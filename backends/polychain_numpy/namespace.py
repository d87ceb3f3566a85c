"""The Array API namespace of the NumPy backend: array-api-compat's, with leaner hot paths.

NumPy's ``sum``, ``max`` and ``min`` are Python functions that build keyword
dicts and look for methods before they reach the ufunc reduction; on the
small arrays of a training step that costs more than the reduction itself.
Here they call the reduction directly (it gives the same dtypes, NumPy's
``sum`` included). The creation functions, ``asarray`` and ``astype`` skip
array-api-compat's device and copy handling when the device is the host's and
no copy mode is asked for, and ``isdtype`` answers from a cache, since every
type check asks it the same few questions. Everything else is array-api-compat's.
"""

from __future__ import annotations

from typing import Any

import array_api_compat.numpy as _compat
import numpy
from array_api_compat.numpy import *  # noqa: F403  (the namespace this module extends)

__all__ = list(_compat.__all__)

_add = numpy.add.reduce
_maximum = numpy.maximum.reduce
_minimum = numpy.minimum.reduce


def sum(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False,  # noqa: A001
        **kwargs: Any) -> Any:
    """``numpy.sum`` (integers and booleans sum in the default integer dtype)."""
    if kwargs:
        return numpy.sum(x, axis=axis, dtype=dtype, keepdims=keepdims, **kwargs)
    return _add(x, axis, dtype, None, keepdims)


def max(x: Any, /, *, axis: Any = None, keepdims: bool = False, **kwargs: Any) -> Any:  # noqa: A001
    """``numpy.max``."""
    if kwargs:
        return numpy.max(x, axis=axis, keepdims=keepdims, **kwargs)
    return _maximum(x, axis, None, None, keepdims)


def min(x: Any, /, *, axis: Any = None, keepdims: bool = False, **kwargs: Any) -> Any:  # noqa: A001
    """``numpy.min``."""
    if kwargs:
        return numpy.min(x, axis=axis, keepdims=keepdims, **kwargs)
    return _minimum(x, axis, None, None, keepdims)


#: The one device of NumPy arrays, as ``array_api_compat.device`` names it.
_HOST = 'cpu'


def _on_host(name: str) -> Any:
    """array-api-compat's creation function ``name``, calling NumPy's own for the host device."""
    compat_function, numpy_function = getattr(_compat, name), getattr(numpy, name)

    def create(*args: Any, device: Any = None, **kwargs: Any) -> Any:
        if device is None or device == _HOST:
            return numpy_function(*args, **kwargs)
        return compat_function(*args, device=device, **kwargs)

    create.__name__ = create.__qualname__ = name
    create.__doc__ = compat_function.__doc__
    return create


arange = _on_host('arange')
empty = _on_host('empty')
empty_like = _on_host('empty_like')
full = _on_host('full')
full_like = _on_host('full_like')
ones = _on_host('ones')
ones_like = _on_host('ones_like')
zeros = _on_host('zeros')
zeros_like = _on_host('zeros_like')


def asarray(obj: Any, /, *, dtype: Any = None, device: Any = None, copy: bool | None = None,
            **kwargs: Any) -> Any:
    """The Array API ``asarray``; without a device or copy mode, ``numpy.asarray``."""
    if (device is None or device == _HOST) and copy is None and not kwargs:
        return numpy.asarray(obj, dtype=dtype)
    return _compat.asarray(obj, dtype=dtype, device=device, copy=copy, **kwargs)


def astype(x: Any, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Any:
    """The Array API ``astype``; without a device, the array's own method."""
    if device is None or device == _HOST:
        return x.astype(dtype, copy=copy)
    return _compat.astype(x, dtype, copy=copy, device=device)


_isdtype_answers: dict[tuple[Any, Any], bool] = {}


def isdtype(dtype: Any, kind: Any) -> bool:
    """``numpy.isdtype``, remembered per (dtype, kind)."""
    key = dtype, kind
    try:
        answer = _isdtype_answers.get(key)
    except TypeError:  # an unhashable kind (a list): NumPy explains the error
        return _compat.isdtype(dtype, kind)
    if answer is None:
        answer = _isdtype_answers[key] = _compat.isdtype(dtype, kind)
    return answer
