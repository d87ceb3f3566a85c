"""Chainer's ``chainer.backends._cpu``, where ``CpuDevice`` lives in Chainer."""

from typing import Any

from polychain.backend.device_classes import CpuDevice

__all__ = ['CpuDevice']


def _to_cpu(array: Any) -> Any:
    """An array of any backend, or a list or tuple of them, as NumPy arrays (Chainer's helper)."""
    from polychain.backends.cuda import to_cpu
    return to_cpu(array)
