"""``create_empty_dataset``: a data set of empty examples, as long as another."""

from __future__ import annotations

from typing import Any


def create_empty_dataset(dataset: Any) -> list[tuple[()]]:
    """A data set of ``len(dataset)`` empty tuples (for ranks that only relay data)."""
    return [()] * len(dataset)
