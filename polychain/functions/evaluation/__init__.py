"""Evaluation functions (forward only): accuracy and friends."""

__all__: list[str] = []
