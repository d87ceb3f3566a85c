"""``multi_node_snapshot``: a snapshot extension taken by one rank of each replica set."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from polychain import backend, serializers
from polychain.training import extension


def _parse_replica_sets(replica_sets: Iterable[Any], size: int) -> list[set[int]]:
    """The sets of ranks holding the same state: those given (a rank or an iterable of
    ranks each), then one set of the ranks not given."""
    sets = []
    for replica_set in replica_sets:
        ranks = {replica_set} if isinstance(replica_set, int) else set(replica_set)
        if not all(0 <= rank < size for rank in ranks):
            raise ValueError(f'multi_node_snapshot: ranks must lie in [0, {size}), got '
                             f'{sorted(ranks)}')
        sets.append(ranks)
    rest = set(range(size)).difference(*sets)
    if rest:
        sets.append(rest)
    return sets


def _host(value: Any) -> Any:
    return backend.to_host(value) if hasattr(value, 'dtype') else value


def _append_rank(filename: Any, rank: int) -> Any:
    if callable(filename):
        return lambda trainer: f'{filename(trainer)}.{rank}'
    return f'{filename}.{rank}'


class _MultiNodeSnapshot(extension.Extension):
    def __init__(self, comm: Any, snapshot: Any, replica_sets: Iterable[Any]) -> None:
        self.comm = comm
        self.snapshot = snapshot
        snapshot.filename = _append_rank(snapshot.filename, comm.rank)
        for ranks in _parse_replica_sets(replica_sets, comm.size):
            if comm.rank in ranks:
                self.master = min(ranks)
        self.is_master = self.master == comm.rank
        self.trigger = getattr(snapshot, 'trigger', (1, 'epoch'))
        self.priority = getattr(snapshot, 'priority', extension.PRIORITY_READER)

    def initialize(self, trainer: Any) -> None:
        """The masters initialize the snapshot (with ``autoload``, they load the newest
        one); with ``autoload`` every rank then takes its master's state (collective)."""
        if self.is_master:
            self.snapshot.initialize(trainer)
        if not getattr(self.snapshot, 'autoload', False):
            return
        target = self.snapshot._target_of(trainer)
        state = None
        if self.is_master:
            saver = serializers.DictionarySerializer()
            saver.save(target)
            state = {key: _host(value) for key, value in saver.target.items()}
        replicas = self.comm.split(color=self.master, key=self.comm.rank)
        state = replicas.bcast_obj(state, root=0)
        if not self.is_master:  # not strict: a master that found no snapshot has lazy state
            serializers.NpzDeserializer(state, strict=False).load(target)

    def __call__(self, trainer: Any) -> None:
        if self.is_master:
            self.snapshot(trainer)

    def on_error(self, trainer: Any, exc: BaseException, tb: Any) -> None:
        if self.is_master:
            self.snapshot.on_error(trainer, exc, tb)

    def finalize(self) -> None:
        if self.is_master:
            self.snapshot.finalize()


def multi_node_snapshot(comm: Any, snapshot: Any, replica_sets: Iterable[Any]) -> Any:
    """Wraps a ``snapshot`` extension so that only the lowest rank of each replica set
    (ranks holding the same state, as in data parallelism) takes it; the file name gets
    ``.<rank>`` appended.

    Args:
        comm: A ChainerMN communicator.
        snapshot: A ``training.extensions.snapshot`` extension.
        replica_sets: Ranks, or iterables of ranks, each holding one state; the ranks
            not listed form one more set (``[]``: all ranks are replicas of rank 0).
    """
    return _MultiNodeSnapshot(comm, snapshot, replica_sets)
