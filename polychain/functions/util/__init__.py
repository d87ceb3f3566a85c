"""Util functions."""

__all__: list[str] = []
