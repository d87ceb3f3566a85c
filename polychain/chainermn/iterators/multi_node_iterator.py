"""``create_multi_node_iterator``: one rank iterates, every rank gets the same batches."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.dataset.iterator import Iterator


def _is_valid_type(element: Any) -> bool:
    """Whether a batch element is an array/scalar, or a pair of them (what travels as arrays)."""
    if isinstance(element, tuple):
        return len(element) == 2 and all(hasattr(e, 'dtype') for e in element)
    return hasattr(element, 'dtype')


def _build_ctrl_msg(stop: bool, is_valid_data_type: bool, is_paired_dataset: bool,
                    is_new_epoch: bool, current_position: int) -> numpy.ndarray:
    """The control message the master broadcasts before each batch."""
    return numpy.array([stop, is_valid_data_type, is_paired_dataset, is_new_epoch,
                        current_position], dtype=numpy.int64)


def _parse_ctrl_msg(msg: Any) -> tuple[bool, bool, bool, bool, int]:
    """The fields of a control message built by :func:`_build_ctrl_msg`."""
    msg = numpy.asarray(msg)
    return bool(msg[0]), bool(msg[1]), bool(msg[2]), bool(msg[3]), int(msg[4])


_TYPE_ERROR = ('Multi node iterator supports ndarray or tuple of scalars as the data type '
               'of the batch element only.')


class _Recorder:
    """Passes calls to a serializer and records the values it returns."""

    def __init__(self, serializer: Any) -> None:
        self.serializer = serializer
        self.values: dict[str, Any] = {}

    def __call__(self, key: str, value: Any) -> Any:
        value = self.serializer(key, value)
        self.values[key] = value
        return value

    def __getitem__(self, key: str) -> Any:
        try:
            return self.serializer[key]
        except NotImplementedError:  # a flat serializer: iterators then skip that child
            raise KeyError(key) from None


class _MultiNodeIteratorMaster(Iterator):
    """The rank that runs ``actual_iterator`` and broadcasts each batch."""

    def __init__(self, actual_iterator: Any, communicator: Any, rank_master: int) -> None:
        object.__setattr__(self, 'actual_iterator', actual_iterator)
        object.__setattr__(self, 'communicator', communicator)
        object.__setattr__(self, 'rank_master', rank_master)
        order = getattr(getattr(actual_iterator, '_state', None), 'order', None)
        communicator.bcast_obj((len(actual_iterator.dataset), order), root=rank_master)

    def __next__(self) -> list[Any]:
        try:
            batch = self.actual_iterator.__next__()
        except StopIteration:
            batch = None
        stop = batch is None
        valid = stop or _is_valid_type(batch[0])
        paired = not stop and isinstance(batch[0], tuple)
        self.communicator.bcast(_build_ctrl_msg(
            stop, valid, paired, self.actual_iterator.is_new_epoch,
            self.actual_iterator.current_position), root=self.rank_master)
        if stop:
            raise StopIteration
        if not valid:
            raise TypeError(_TYPE_ERROR)
        if paired:
            xs, ys = zip(*batch)
            self.communicator.bcast(numpy.asarray(xs), root=self.rank_master)
            self.communicator.bcast(numpy.asarray(ys), root=self.rank_master)
            return batch
        self.communicator.bcast(numpy.asarray(batch), root=self.rank_master)
        return list(batch)

    next = __next__

    @property
    def current_position(self) -> int:
        return self.actual_iterator.current_position

    @property
    def epoch_detail(self) -> float:
        return self.actual_iterator.epoch_detail

    @property
    def is_new_epoch(self) -> bool:
        return self.actual_iterator.is_new_epoch

    def __getattr__(self, name: str) -> Any:
        return getattr(self.actual_iterator, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.actual_iterator, name, value)

    def serialize(self, serializer: Any) -> None:
        """Serializes the actual iterator; the other ranks (calling this too) get its state."""
        recorder = _Recorder(serializer)
        self.actual_iterator.serialize(recorder)
        self.communicator.bcast_obj(recorder.values, root=self.rank_master)


class _MultiNodeIteratorSlave(Iterator):
    """A rank that receives the master's batches."""

    def __init__(self, communicator: Any, rank_master: int) -> None:
        self.communicator = communicator
        self.rank_master = rank_master
        self.epoch = 0
        self.current_position = 0
        self.is_new_epoch = False
        self.dataset_size, self._order = communicator.bcast_obj(None, root=rank_master)

    def __next__(self) -> list[Any]:
        msg = self.communicator.bcast(None, root=self.rank_master)
        stop, valid, paired, self.is_new_epoch, self.current_position = _parse_ctrl_msg(msg)
        if self.is_new_epoch:
            self.epoch += 1
        if stop:
            raise StopIteration
        if not valid:
            raise TypeError(_TYPE_ERROR)
        if paired:
            xs = self.communicator.bcast(None, root=self.rank_master)
            ys = self.communicator.bcast(None, root=self.rank_master)
            return list(zip(xs, ys))
        return list(self.communicator.bcast(None, root=self.rank_master))

    next = __next__

    @property
    def epoch_detail(self) -> float:
        return self.epoch + self.current_position / max(self.dataset_size, 1)

    def serialize(self, serializer: Any) -> None:
        """Takes the master's state (which the master serializes at the same time); the
        batch order stays the master's to decide."""
        values = self.communicator.bcast_obj(None, root=self.rank_master)
        for key, value in values.items():
            serializer(key, value)
        self.current_position = int(values['current_position'])
        self.epoch = int(values['epoch'])
        self.is_new_epoch = bool(values['is_new_epoch'])


def create_multi_node_iterator(actual_iterator: Any, communicator: Any,
                               rank_master: int = 0) -> Iterator:
    """An iterator giving every rank the batches ``actual_iterator`` gives on ``rank_master``.

    Only ``rank_master``'s ``actual_iterator`` is read; batch elements must be
    arrays or scalars, or pairs of them (``TypeError`` otherwise). Every rank
    must call ``next`` (and ``serialize``) together.
    """
    if communicator.rank == rank_master:
        return _MultiNodeIteratorMaster(actual_iterator, communicator, rank_master)
    return _MultiNodeIteratorSlave(communicator, rank_master)
