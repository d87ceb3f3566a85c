"""Chainer's ``chainer.backends`` namespace: ``cuda``, ``intel64`` and ``_cpu``.

Backends themselves (NumPy, CuPy, JAX, plugins) are reached through
:mod:`polychain.backend` and listed by :func:`polychain.list_backends`.
"""

from polychain.backends import _cpu, cuda, intel64

__all__ = ['_cpu', 'cuda', 'intel64']
