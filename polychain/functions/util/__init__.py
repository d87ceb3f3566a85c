"""Utility functions."""

from polychain.functions.util.forget import forget

__all__ = ['forget']
