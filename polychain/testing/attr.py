"""Chainer's test attributes: pytest marks named ``gpu``, ``cudnn``, ``multi_gpu``,
``chainerx``, ``ideep`` and ``slow``.

Each attribute is the pytest mark of its name (so ``-m "not gpu"`` deselects
the tests) together with a skip saying why the test cannot run here:
``gpu``, ``cudnn`` and ``multi_gpu(n)`` skip where CuPy has fewer GPUs than
needed; ``chainerx`` and ``ideep`` always skip (polychain uses neither).
``slow`` is the mark only. Register the marks in the project's pytest
configuration (``markers = ["gpu: ...", ...]``).
"""

from __future__ import annotations

import unittest
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from polychain.backend import BackendUnavailable, get_backend

_T = TypeVar('_T')


def gpu_count() -> int:
    """The number of CuPy devices usable here (0 when CuPy or a GPU is missing)."""
    try:
        return len(get_backend('cupy').devices())
    except (ValueError, BackendUnavailable):
        return 0


def _marks(*marks: Callable[[Any], Any], skip: str | None = None) -> Callable[[_T], _T]:
    """A decorator applying ``marks`` to a test function or class, and skipping it if
    ``skip`` gives a reason (under pytest and under unittest's runner alike)."""
    def decorate(target: _T) -> _T:
        if skip is not None:
            target = pytest.mark.skip(reason=skip)(unittest.skip(skip)(target))
        for mark in marks:
            target = mark(target)
        return target
    return decorate


def _named_mark(name: str, **kwargs: Any) -> pytest.MarkDecorator:
    """The pytest mark ``name``, also where a conftest rebinds ``pytest.mark.<name>``
    (Chainer's turns ``pytest.mark.chainerx`` into a skip)."""
    mark = type(pytest.mark).__getattr__(pytest.mark, name)
    return mark(**kwargs) if kwargs else mark


def _missing_gpus(gpu_num: int) -> str | None:
    """Why a test needing ``gpu_num`` GPUs cannot run here (None if it can)."""
    available = gpu_count()
    if available >= gpu_num:
        return None
    return f'needs {gpu_num} CuPy GPU(s), {available} usable here'


def multi_gpu(gpu_num: int) -> Callable[[Any], Any]:
    """Marks a test ``multi_gpu`` that needs ``gpu_num`` CuPy devices; it skips where fewer exist.

    Args:
        gpu_num: The number of GPUs the test uses.
    """
    return _marks(_named_mark('multi_gpu', gpu=gpu_num), skip=_missing_gpus(gpu_num))


#: Marks a test ``gpu``: it needs one CuPy GPU.
gpu = _marks(_named_mark('gpu'), skip=_missing_gpus(1))
#: Marks a test ``cudnn``: it needs cuDNN on a CuPy GPU.
cudnn = _marks(_named_mark('cudnn'), skip=_missing_gpus(1))
#: Marks a test ``chainerx``: polychain has no ChainerX, so it skips.
chainerx = _marks(_named_mark('chainerx'), skip='polychain has no ChainerX backend')
#: Marks a test ``ideep``: polychain does not use iDeep, so it skips.
ideep = _marks(_named_mark('ideep'), skip='polychain does not use iDeep')
#: Marks a slow test.
slow = _named_mark('slow')
