"""SerialIterator: reads the examples of each batch one after another in this process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

from polychain.dataset.iterator import Iterator
from polychain.datasets.example_batch import gather_examples
from polychain.iterators.iterator_state import IteratorState, advance
from polychain.iterators.order_samplers import ShuffleOrderSampler


def choose_order_sampler(caller: str, shuffle: bool | None,
                         order_sampler: Callable | None) -> Callable | None:
    """The sampler an iterator uses: ``shuffle`` and ``order_sampler`` exclude each other."""
    if shuffle is not None and order_sampler is not None:
        raise ValueError(f'{caller}: shuffle={shuffle!r} and an order_sampler were both given; '
                         f'set shuffle to None to use the order sampler')
    if order_sampler is not None:
        return order_sampler
    return ShuffleOrderSampler() if shuffle is None or shuffle else None


class SerialIterator(Iterator):
    """Dataset iterator that reads the examples of each batch in turn.

    Each ``next()`` returns a list of ``batch_size`` examples. With
    ``repeat=True`` it loops over the dataset forever (a batch may span two
    epochs); otherwise it stops with ``StopIteration`` after one epoch, whose
    last batch may be shorter.

    Args:
        dataset: The dataset (anything with ``__len__`` and ``__getitem__``).
        batch_size (int): Number of examples per batch.
        repeat (bool): Loop over the dataset forever.
        shuffle (bool): Visit the examples in a new random order each epoch
            (drawn from NumPy's global generator). ``None`` means ``True``
            unless ``order_sampler`` is given.
        order_sampler (callable): ``order_sampler(current_order, position)``
            gives the order of the next epoch; only with ``shuffle=None``.
    """

    def __init__(self, dataset: Any, batch_size: int, repeat: bool = True,
                 shuffle: bool | None = None, order_sampler: Callable | None = None) -> None:
        self.dataset = dataset
        self.batch_size = batch_size
        self._repeat = repeat
        self._shuffle = shuffle
        self.order_sampler = choose_order_sampler(type(self).__name__, shuffle, order_sampler)
        self.reset()

    def __next__(self) -> list:
        self._previous_epoch_detail = self.epoch_detail
        self._state, indices = advance(self._state, self.batch_size, self._repeat,
                                       self.order_sampler, len(self.dataset))
        if indices is None:
            raise StopIteration
        return self._fetch(indices)

    next = __next__

    def _fetch(self, indices: numpy.ndarray) -> list:
        """The examples at ``indices`` (arrays' rows gathered at once where possible)."""
        batch = gather_examples(self.dataset, indices)
        return [self.dataset[index] for index in indices] if batch is None else batch

    @property
    def repeat(self) -> bool:
        """Whether the iterator loops over the dataset forever."""
        return self._repeat

    @property
    def current_position(self) -> int:
        """Position of the next example within the current epoch's order."""
        return self._state.current_position

    @property
    def epoch(self) -> int:
        """Number of completed epochs."""
        return self._state.epoch

    @property
    def is_new_epoch(self) -> bool:
        """Whether the last batch completed an epoch."""
        return self._state.is_new_epoch

    @property
    def epoch_detail(self) -> float:
        """Epochs completed, with the fraction of the current one (e.g. ``1.5``)."""
        epoch_size = self._epoch_size
        return self.epoch + (self.current_position / epoch_size if epoch_size else 0.)

    @property
    def previous_epoch_detail(self) -> float | None:
        """``epoch_detail`` before the last batch, ``None`` before the first one."""
        if self._previous_epoch_detail < 0:
            return None
        return self._previous_epoch_detail

    @property
    def _epoch_size(self) -> int:
        order = self._state.order
        return len(self.dataset) if order is None else len(order)

    def reset(self) -> None:
        """Goes back to the start of the first epoch, with a freshly drawn order."""
        order = None
        if self.order_sampler is not None:
            order = self.order_sampler(numpy.arange(len(self.dataset)), 0)
        self._state = IteratorState(0, 0, False, order)
        self._previous_epoch_detail = -1.

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the position, epoch, order and previous epoch detail.

        ``previous_epoch_detail`` is stored as ``-1`` when it is ``None``.
        Without a saved ``previous_epoch_detail`` (older snapshots) it is
        estimated from the position and the batch size.

        Args:
            serializer: Called as ``value = serializer(key, value)``; the value
                it returns is kept (a deserializer returns the loaded value).
        """
        current_position = int(serializer('current_position', self.current_position))
        epoch = int(serializer('epoch', self.epoch))
        is_new_epoch = bool(serializer('is_new_epoch', self.is_new_epoch))
        order = self._state.order
        if order is not None:
            try:
                order = serializer('order', order)
            except KeyError:
                order = serializer('_order', order)
            order = numpy.asarray(order)
        self._state = IteratorState(current_position, epoch, is_new_epoch, order)
        try:
            self._previous_epoch_detail = float(
                serializer('previous_epoch_detail', self._previous_epoch_detail))
        except KeyError:
            self._previous_epoch_detail = self._estimated_previous_epoch_detail()
        self._serialize_order_sampler(serializer)

    def _serialize_order_sampler(self, serializer: Any) -> None:
        """Saves or loads the order sampler's state, so a resumed run draws the same orders."""
        sampler = self.order_sampler
        if hasattr(sampler, 'serialize'):
            try:
                sampler.serialize(serializer['order_sampler'])
            except KeyError:  # a snapshot written without the sampler's state
                pass

    def _estimated_previous_epoch_detail(self) -> float:
        if self.epoch_detail <= 0 or self._epoch_size == 0:
            return -1.
        estimate = self.epoch + (self.current_position - self.batch_size) / self._epoch_size
        return max(estimate, 0.)
