"""The CuPy backend of polychain: devices ``@cupy:N``, one per CUDA GPU."""

from polychain_cupy.backend import CupyBackend
from polychain_cupy.random import CupyGenerator

__all__ = ['CupyBackend', 'CupyGenerator']
