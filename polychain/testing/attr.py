"""Chainer's test attributes: ``gpu``, ``multi_gpu(n)`` and ``slow``.

``gpu`` and ``multi_gpu`` skip, saying why, where CuPy has fewer GPUs than
needed. ``slow`` is the pytest mark ``slow``; register it in the project's
pytest configuration (``markers = ["slow: ..."]``) to deselect slow tests with
``-m "not slow"``.
"""

from __future__ import annotations

import pytest

from polychain.backend import BackendUnavailable, get_backend


def gpu_count() -> int:
    """The number of CuPy devices usable here (0 when CuPy or a GPU is missing)."""
    try:
        return len(get_backend('cupy').devices())
    except (ValueError, BackendUnavailable):
        return 0


def multi_gpu(gpu_num: int) -> pytest.MarkDecorator:
    """Marks a test that needs ``gpu_num`` CuPy devices; it skips where fewer exist.

    Args:
        gpu_num: The number of GPUs the test uses.
    """
    available = gpu_count()
    return pytest.mark.skipif(available < gpu_num,
                              reason=f'needs {gpu_num} CuPy GPU(s), {available} usable here')


#: Marks a test that needs one CuPy GPU.
gpu = multi_gpu(1)
#: Marks a slow test.
slow = pytest.mark.slow
