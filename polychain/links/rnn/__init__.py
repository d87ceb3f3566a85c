"""Rnn links."""

__all__: list[str] = []
