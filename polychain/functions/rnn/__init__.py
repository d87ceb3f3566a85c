"""Rnn functions."""

__all__: list[str] = []
