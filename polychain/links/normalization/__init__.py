"""Normalization links."""

__all__: list[str] = []
