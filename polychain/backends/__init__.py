"""Chainer's ``chainer.backends`` namespace: the CUDA helpers of :mod:`polychain.backends.cuda`.

Backends themselves (NumPy, CuPy, JAX, plugins) are reached through
:mod:`polychain.backend` and listed by :func:`polychain.list_backends`.
"""

from polychain.backends import cuda

__all__ = ['cuda']
