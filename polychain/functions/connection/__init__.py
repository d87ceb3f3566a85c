"""Functions that connect inputs through weights."""
