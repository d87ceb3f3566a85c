"""Chainer's ``chainer.backends._cpu``, where ``CpuDevice`` lives in Chainer."""

from polychain.backend.device_classes import CpuDevice

__all__ = ['CpuDevice']
