"""The NumPy backend of polychain: device ``@numpy``."""

from polychain_numpy.backend import NumpyBackend

__all__ = ['NumpyBackend']
