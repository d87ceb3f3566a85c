"""The interface every ChainerMN communicator implements."""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any


class CommunicatorBase(ABC):
    """Interface of a communicator: ranks, array and object collectives, model helpers.

    Configuration values set with :meth:`set_config` (or assigned inside
    :meth:`config_scope`) live in ``_configs`` and read as attributes.
    """

    def __init__(self) -> None:
        object.__setattr__(self, '_configs', {})
        object.__setattr__(self, '_in_config_scope', False)

    def __setattr__(self, name: str, value: Any) -> None:
        if self._in_config_scope:
            self._configs[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        configs = self.__dict__.get('_configs', {})
        if name in configs:
            return configs[name]
        raise AttributeError(f'{type(self).__name__!r} object has no attribute {name!r}')

    @contextlib.contextmanager
    def config_scope(self) -> Iterator[None]:
        """Attributes assigned within the block become configuration values."""
        previous = self._in_config_scope
        object.__setattr__(self, '_in_config_scope', True)
        try:
            yield
        finally:
            object.__setattr__(self, '_in_config_scope', previous)

    def set_config(self, name: str, **kwargs: Any) -> None:
        """Sets the configuration value ``name``; ``ValueError`` for an unknown one."""
        raise ValueError(f'Unknown config: {name}')

    def get_config(self, name: str | None = None) -> Any:
        """The configuration value ``name``; ``ValueError`` for an unknown one."""
        raise ValueError(f'Unknown config: {name}')

    @property
    @abstractmethod
    def rank(self) -> int:
        """The rank of this process in the communicator."""

    @property
    @abstractmethod
    def size(self) -> int:
        """The number of processes in the communicator."""

    @property
    @abstractmethod
    def intra_rank(self) -> int:
        """The rank of this process among those on its node."""

    @property
    @abstractmethod
    def intra_size(self) -> int:
        """The number of processes on this node."""

    @property
    @abstractmethod
    def inter_rank(self) -> int:
        """The rank of this node among the nodes."""

    @property
    @abstractmethod
    def inter_size(self) -> int:
        """The number of nodes."""

    @abstractmethod
    def split(self, color: int, key: int) -> CommunicatorBase:
        """A communicator of the processes that passed the same ``color``, ordered by ``key``."""

    @abstractmethod
    def send(self, data: Any, dest: int, tag: int) -> None:
        """Sends an array, or a tuple or list of arrays, to rank ``dest``."""

    @abstractmethod
    def recv(self, source: int, tag: int) -> Any:
        """Receives what :meth:`send` on rank ``source`` sent."""

    @abstractmethod
    def bcast(self, data: Any, max_buf_len: int | None = None, root: int = 0) -> Any:
        """Broadcasts an array from ``root`` (others pass ``None``)."""

    @abstractmethod
    def gather(self, data: Any, root: int = 0) -> Any:
        """The arrays of all ranks, as a tuple on ``root`` (``None`` elsewhere)."""

    @abstractmethod
    def allgather(self, x: Any) -> tuple[Any, ...]:
        """The arrays of all ranks, as a tuple on every rank."""

    @abstractmethod
    def alltoall(self, xs: Any) -> tuple[Any, ...]:
        """Sends ``xs[i]`` to rank ``i``; returns what each rank sent here."""

    @abstractmethod
    def scatter(self, xs: Any, root: int = 0) -> Any:
        """Sends ``xs[i]`` from ``root`` to rank ``i``; returns this rank's part."""

    @abstractmethod
    def allreduce(self, data: Any) -> Any:
        """The element-wise sum of ``data`` over all ranks."""

    @abstractmethod
    def send_obj(self, obj: Any, dest: int, tag: int = 0) -> None:
        """Sends a picklable object to rank ``dest``."""

    @abstractmethod
    def recv_obj(self, source: int, status: Any = None, tag: Any = None) -> Any:
        """Receives an object sent with :meth:`send_obj`."""

    @abstractmethod
    def bcast_obj(self, obj: Any, max_buf_len: int | None = None, root: int = 0) -> Any:
        """Broadcasts a picklable object from ``root``."""

    @abstractmethod
    def gather_obj(self, obj: Any, root: int = 0) -> Any:
        """The objects of all ranks, as a list on ``root`` (``None`` elsewhere)."""

    @abstractmethod
    def allreduce_obj(self, obj: Any) -> Any:
        """The sum (``+``) of the objects of all ranks."""

    @abstractmethod
    def bcast_data(self, model: Any) -> None:
        """Makes the parameters of ``model`` on every rank those of rank 0."""

    @abstractmethod
    def multi_node_mean_grad(self, model: Any, zero_fill: bool = False) -> None:
        """Replaces each gradient of ``model`` by its mean over all ranks."""

    @abstractmethod
    def finalize(self) -> None:
        """Releases what the communicator holds (the MPI job goes on)."""
