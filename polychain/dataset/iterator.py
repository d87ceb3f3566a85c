"""The Iterator interface that updaters and evaluators read batches from."""

from __future__ import annotations

from typing import Any


class Iterator:
    """Base class of dataset iterators.

    An iterator yields a batch (a list of examples) on each ``next()``. It
    keeps its own position, so it is stateful; ``serialize`` saves and
    restores that state, and ``finalize`` releases workers or files it holds.
    An iterator is also a context manager that finalizes itself on exit.
    """

    def __iter__(self) -> Iterator:
        return self

    def __next__(self) -> Any:
        """The next batch."""
        raise NotImplementedError(
            f'{type(self).__name__}.__next__: an Iterator subclass must implement __next__')

    def next(self) -> Any:
        """The next batch (same as ``next(iterator)``)."""
        return self.__next__()

    def finalize(self) -> None:
        """Releases the resources the iterator holds; it does nothing by default."""

    def __enter__(self) -> Iterator:
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        self.finalize()

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the iteration state; it does nothing by default.

        Args:
            serializer: A serializer or deserializer, called as
                ``value = serializer(key, value)``.
        """
