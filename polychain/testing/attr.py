"""Chainer's test attributes: pytest marks named ``gpu``, ``cudnn``, ``multi_gpu``,
``chainerx``, ``ideep`` and ``slow``.

Each attribute is the pytest mark of its name (so ``-m "not gpu"`` deselects
the tests) together with a ``skipif`` saying why the test cannot run here:
``gpu``, ``cudnn`` and ``multi_gpu(n)`` skip where CuPy has fewer GPUs than
needed; ``chainerx`` and ``ideep`` always skip (polychain uses neither).
``slow`` is the mark only. Register the marks in the project's pytest
configuration (``markers = ["gpu: ...", ...]``).
"""

from __future__ import annotations

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


def _marks(*marks: pytest.MarkDecorator) -> Callable[[_T], _T]:
    """A decorator applying every mark of ``marks`` to a test function or class."""
    def decorate(target: _T) -> _T:
        for mark in marks:
            target = mark(target)
        return target
    decorate.marks = marks  # type: ignore[attr-defined]
    return decorate


def _needs_gpus(gpu_num: int) -> pytest.MarkDecorator:
    available = gpu_count()
    return pytest.mark.skipif(available < gpu_num,
                              reason=f'needs {gpu_num} CuPy GPU(s), {available} usable here')


def multi_gpu(gpu_num: int) -> Callable[[Any], Any]:
    """Marks a test ``multi_gpu`` that needs ``gpu_num`` CuPy devices; it skips where fewer exist.

    Args:
        gpu_num: The number of GPUs the test uses.
    """
    return _marks(pytest.mark.multi_gpu(gpu=gpu_num), _needs_gpus(gpu_num))


#: Marks a test ``gpu``: it needs one CuPy GPU.
gpu = _marks(pytest.mark.gpu, _needs_gpus(1))
#: Marks a test ``cudnn``: it needs cuDNN on a CuPy GPU.
cudnn = _marks(pytest.mark.cudnn, _needs_gpus(1))
#: Marks a test ``chainerx``: polychain has no ChainerX, so it skips.
chainerx = _marks(pytest.mark.chainerx,
                  pytest.mark.skip(reason='polychain has no ChainerX backend'))
#: Marks a test ``ideep``: polychain does not use iDeep, so it skips.
ideep = _marks(pytest.mark.ideep, pytest.mark.skip(reason='polychain does not use iDeep'))
#: Marks a slow test.
slow = pytest.mark.slow
