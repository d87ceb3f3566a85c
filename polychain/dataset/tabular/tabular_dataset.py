"""TabularDataset: a dataset of columns, read a block of rows and columns at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import numpy

from polychain.backend.chainer_functions import get_device_from_array
from polychain.dataset.dataset_mixin import DatasetMixin

#: Values that are converted on the host (NumPy) rather than on a backend's device.
_HOST_VALUES = (numpy.ndarray, numpy.generic, bool, int, float, complex, str, bytes,
                list, tuple)

_T = TypeVar('_T', bound=type)


class TabularDataset(DatasetMixin):
    """An abstract dataset whose examples all have the same columns.

    An example is a tuple (``mode`` is :class:`tuple`), a dict keyed by the
    column names (``mode`` is :class:`dict`) or, for a single column, the
    value itself (``mode`` is ``None``). A subclass implements ``__len__``,
    :attr:`keys`, :attr:`mode` and :meth:`get_examples`; slicing, joining,
    concatenating and transforming give views that read through it.
    """

    def __len__(self) -> int:
        """The number of rows."""
        raise NotImplementedError(
            f'{type(self).__name__}.__len__: a TabularDataset must implement __len__')

    @property
    def keys(self) -> tuple[str, ...]:
        """The column names."""
        raise NotImplementedError(
            f'{type(self).__name__}.keys: a TabularDataset must implement keys')

    @property
    def mode(self) -> type | None:
        """:class:`tuple`, :class:`dict` or ``None``: how an example is represented."""
        raise NotImplementedError(
            f'{type(self).__name__}.mode: a TabularDataset must implement mode')

    def get_examples(self, indices: Any, key_indices: tuple[int, ...] | None) -> tuple:
        """Some rows of some columns, column by column.

        Args:
            indices (list of ints or slice): The rows; ``None`` means all of them.
            key_indices (tuple of ints): The columns; ``None`` means all of them.

        Returns:
            tuple: One list or array per requested column.
        """
        raise NotImplementedError(
            f'{type(self).__name__}.get_examples: a TabularDataset must implement '
            f'get_examples')

    @property
    def slice(self) -> Any:
        """``dataset.slice[indices]`` or ``dataset.slice[indices, keys]``: a view.

        ``indices`` is a slice, or a list (or 1-d array) of ints or of one bool
        per row; ``keys`` is an int or name (the view's mode is then ``None``)
        or a tuple of them.
        """
        return _views.SliceHelper(self)

    def fetch(self) -> Any:
        """Every row, column by column: a tuple, a dict or one column, as :attr:`mode` says."""
        return self._as_mode(self.get_examples(None, None))

    def convert(self, data: Any) -> Any:
        """Makes an array of each column of ``data`` (as :meth:`fetch` returns it).

        Columns that are already arrays are kept; :meth:`with_converter`
        replaces this conversion.
        """
        if isinstance(data, tuple):
            return tuple(_as_array(column) for column in data)
        if isinstance(data, dict):
            return {key: _as_array(column) for key, column in data.items()}
        return _as_array(data)

    def astuple(self) -> TabularDataset:
        """A view of this dataset whose :attr:`mode` is :class:`tuple`."""
        return _views.AsMode(self, tuple)

    def asdict(self) -> TabularDataset:
        """A view of this dataset whose :attr:`mode` is :class:`dict`."""
        return _views.AsMode(self, dict)

    def concat(self, *datasets: TabularDataset) -> TabularDataset:
        """The rows of this dataset followed by those of ``datasets`` (same keys, same order).

        Raises:
            ValueError: The keys differ.
        """
        return _views.Concat(self, *datasets)

    def join(self, *datasets: TabularDataset) -> TabularDataset:
        """The columns of this dataset followed by those of ``datasets`` (same length).

        Raises:
            ValueError: The lengths differ, or a key appears twice.
        """
        return _views.Join(self, *datasets)

    def transform(self, keys: Any, transform: Callable[..., Any]) -> TabularDataset:
        """A view whose examples are ``transform`` applied to each example.

        Args:
            keys (str or tuple of strs): The column names of the result.
            transform (callable): Receives an example (its columns as
                positional arguments in tuple mode, as keyword arguments in
                dict mode, the value itself in ``None`` mode) and returns a
                tuple, a dict or a value, which decides the view's mode.
        """
        return _views.Transform(self, keys, transform, batch=False)

    def transform_batch(self, keys: Any, transform_batch: Callable[..., Any]
                        ) -> TabularDataset:
        """Like :meth:`transform`, but ``transform_batch`` receives and returns whole columns."""
        return _views.Transform(self, keys, transform_batch, batch=True)

    def with_converter(self, converter: Callable[..., Any]) -> TabularDataset:
        """A view whose :meth:`convert` calls ``converter`` on the columns.

        ``converter`` receives the columns as positional arguments (a tuple),
        keyword arguments (a dict) or one argument.
        """
        return _views.WithConverter(self, converter)

    def get_example(self, i: int) -> Any:
        """Row ``i`` as a tuple, a dict or a value, as :attr:`mode` says."""
        return self._as_mode(tuple(column[0] for column in self.get_examples([i], None)))

    def __iter__(self) -> Iterator[Any]:
        return (self.get_example(i) for i in range(len(self)))

    def _as_mode(self, columns: tuple) -> Any:
        mode = self.mode
        if mode is tuple:
            return columns
        if mode is dict:
            return dict(zip(self.keys, columns))
        return columns[0]


class _Views:
    """The classes of the views that TabularDataset's methods return.

    Each subclasses TabularDataset in a module of its own, which registers it here with
    :func:`register_view`; ``polychain.dataset.tabular`` imports those modules.
    """

    AsMode: Callable[..., TabularDataset]
    Concat: Callable[..., TabularDataset]
    Join: Callable[..., TabularDataset]
    SliceHelper: Callable[[TabularDataset], Any]
    Transform: Callable[..., TabularDataset]
    WithConverter: Callable[..., TabularDataset]


_views = _Views()


def register_view(cls: _T) -> _T:
    """Makes ``cls`` the class of the views named like it (a class decorator)."""
    setattr(_views, cls.__name__, cls)
    return cls


def _as_array(column: Any) -> Any:
    """An array of a column: arrays stay, lists become arrays of their elements' device."""
    if not isinstance(column, (list, tuple)):
        return column
    if not column or isinstance(column[0], _HOST_VALUES):
        return numpy.asarray(column)
    return get_device_from_array(column[0]).namespace.stack(column)
