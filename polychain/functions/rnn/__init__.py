"""Recurrent functions: LSTM cells and stacked recurrences over variable-length sequences."""
