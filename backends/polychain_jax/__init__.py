"""The JAX backend of polychain: devices ``@jax``, ``@jax:cpu:0``, ``@jax:gpu:N``."""

from polychain_jax.backend import JaxBackend
from polychain_jax.random import JaxGenerator

__all__ = ['JaxBackend', 'JaxGenerator']
