"""Activation links."""

__all__: list[str] = []
