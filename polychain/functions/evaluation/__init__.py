"""Evaluation functions (forward only): accuracy and friends."""
