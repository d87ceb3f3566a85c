"""Communicators over an mpi4py communicator, moving arrays through host buffers."""

from __future__ import annotations

from typing import Any

import numpy

try:
    from mpi4py import MPI
except ImportError as error:
    raise ImportError(f"polychain.chainermn needs mpi4py and an MPI library ({error}); install "
                      f"them with: pip install 'polychain[mpi]'") from error

import polychain
from polychain.chainermn import global_except_hook
from polychain.chainermn.communicators import _communication_utility, _memory_utility
from polychain.chainermn.communicators.communicator_base import CommunicatorBase

_MAX_BUF_LEN = 256 * 1024 * 1024


class MpiCommunicatorBase(CommunicatorBase):
    """A communicator over ``mpi_comm`` (an ``mpi4py.MPI.Comm``).

    Arrays of any backend travel through contiguous host buffers and come back
    on the device of the backend they were sent from. Subclasses say how
    :meth:`multi_node_mean_grad` groups gradients into allreduce calls.
    """

    def __init__(self, mpi_comm: Any) -> None:
        super().__init__()
        self.mpi_comm = mpi_comm
        self._ranks = _communication_utility.init_ranks(mpi_comm)
        with self.config_scope():
            self.batched_copy = True
        if mpi_comm.size > 1:
            global_except_hook.add_hook()
            global_except_hook.announce_ranks(mpi_comm)

    @property
    def rank(self) -> int:
        return self.mpi_comm.rank

    @property
    def size(self) -> int:
        return self.mpi_comm.size

    @property
    def intra_rank(self) -> int:
        return self._ranks[1]

    @property
    def intra_size(self) -> int:
        return self._ranks[2]

    @property
    def inter_rank(self) -> int:
        return self._ranks[3]

    @property
    def inter_size(self) -> int:
        return self._ranks[4]

    def set_config(self, name: str, value: Any = True, **kwargs: Any) -> None:
        """Sets ``batched_copy`` (packing of many arrays into one copy)."""
        if name == 'batched_copy':
            with self.config_scope():
                self.batched_copy = value
        else:
            super().set_config(name, **kwargs)

    def get_config(self, name: str | None = None) -> Any:
        if name == 'batched_copy':
            return self.batched_copy
        return super().get_config(name)

    def split(self, color: int, key: int) -> MpiCommunicatorBase:
        return type(self)(mpi_comm=self.mpi_comm.Split(color, key))

    # Arrays, point to point.

    def send(self, data: Any, dest: int, tag: int) -> None:
        is_tuple = isinstance(data, (tuple, list))
        arrays = tuple(data) if is_tuple else (data,)
        self.mpi_comm.send((is_tuple, [_memory_utility.describe(a) for a in arrays]),
                           dest=dest, tag=tag)
        for array in arrays:
            self.mpi_comm.Send(_memory_utility.host_bytes(array), dest=dest, tag=tag)

    def recv(self, source: int, tag: int) -> Any:
        is_tuple, descriptions = self.mpi_comm.recv(source=source, tag=tag)
        arrays = []
        for description in descriptions:
            buffer = numpy.empty(_memory_utility.nbytes_of(description), dtype=numpy.uint8)
            self.mpi_comm.Recv(buffer, source=source, tag=tag)
            arrays.append(_memory_utility.from_bytes(buffer, description))
        return tuple(arrays) if is_tuple else arrays[0]

    # Arrays, collective.

    def bcast(self, data: Any, max_buf_len: int | None = None, root: int = 0) -> Any:
        is_root = self.rank == root
        description = self.mpi_comm.bcast(
            _memory_utility.describe(data) if is_root else None, root=root)
        if is_root:
            self.mpi_comm.Bcast(_memory_utility.host_bytes(data), root=root)
            return data
        buffer = numpy.empty(_memory_utility.nbytes_of(description), dtype=numpy.uint8)
        self.mpi_comm.Bcast(buffer, root=root)
        return _memory_utility.from_bytes(buffer, description)

    def gather(self, data: Any, root: int = 0) -> tuple[Any, ...] | None:
        descriptions = self.mpi_comm.gather(_memory_utility.describe(data), root=root)
        send = _memory_utility.host_bytes(data)
        if self.rank != root:
            self.mpi_comm.Gatherv(send, None, root=root)
            return None
        counts = [_memory_utility.nbytes_of(d) for d in descriptions]
        buffer = numpy.empty(sum(counts), dtype=numpy.uint8)
        self.mpi_comm.Gatherv(send, [buffer, counts], root=root)
        return _memory_utility.split_bytes(buffer, descriptions)

    def allgather(self, x: Any) -> tuple[Any, ...]:
        descriptions = self.mpi_comm.allgather(_memory_utility.describe(x))
        counts = [_memory_utility.nbytes_of(d) for d in descriptions]
        buffer = numpy.empty(sum(counts), dtype=numpy.uint8)
        self.mpi_comm.Allgatherv(_memory_utility.host_bytes(x), [buffer, counts])
        return _memory_utility.split_bytes(buffer, descriptions)

    def alltoall(self, xs: Any) -> tuple[Any, ...]:
        if len(xs) != self.size:
            raise ValueError(
                f'alltoall: xs must hold one array per rank ({self.size}), got {len(xs)}')
        descriptions = self.mpi_comm.alltoall([_memory_utility.describe(x) for x in xs])
        send_parts = [_memory_utility.host_bytes(x) for x in xs]
        send_counts = [part.size for part in send_parts]
        recv_counts = [_memory_utility.nbytes_of(d) for d in descriptions]
        buffer = numpy.empty(sum(recv_counts), dtype=numpy.uint8)
        self.mpi_comm.Alltoallv([numpy.concatenate(send_parts), send_counts],
                                [buffer, recv_counts])
        return _memory_utility.split_bytes(buffer, descriptions)

    def scatter(self, xs: Any, root: int = 0) -> Any:
        is_root = self.rank == root
        if is_root and len(xs) != self.size:
            raise ValueError(
                f'scatter: xs must hold one array per rank ({self.size}), got {len(xs)}')
        description = self.mpi_comm.scatter(
            [_memory_utility.describe(x) for x in xs] if is_root else None, root=root)
        buffer = numpy.empty(_memory_utility.nbytes_of(description), dtype=numpy.uint8)
        if is_root:
            parts = [_memory_utility.host_bytes(x) for x in xs]
            send = [numpy.concatenate(parts), [part.size for part in parts]]
        else:
            send = None
        self.mpi_comm.Scatterv(send, buffer, root=root)
        return _memory_utility.from_bytes(buffer, description)

    def allreduce(self, data: Any) -> Any:
        """The element-wise sum of ``data`` over all ranks, on ``data``'s device."""
        buffer = _memory_utility.pack([data], [data], _memory_utility.reduce_dtype(data))
        self.mpi_comm.Allreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)
        return _memory_utility.unpack(buffer, [data])[0]

    # Objects (pickled; only between the ranks of this job).

    def send_obj(self, obj: Any, dest: int, tag: int = 0) -> None:
        self.mpi_comm.send(obj, dest=dest, tag=tag)

    def recv_obj(self, source: int, status: Any = None, tag: Any = MPI.ANY_TAG) -> Any:
        return self.mpi_comm.recv(source=source, status=status, tag=tag)

    def bcast_obj(self, obj: Any, max_buf_len: int | None = None, root: int = 0) -> Any:
        return _communication_utility.chunked_bcast_obj(
            obj, self.mpi_comm, max_buf_len=max_buf_len or _MAX_BUF_LEN, root=root)

    def gather_obj(self, obj: Any, root: int = 0) -> list[Any] | None:
        return self.mpi_comm.gather(obj, root=root)

    def allreduce_obj(self, obj: Any) -> Any:
        return self.mpi_comm.allreduce(obj)

    def scatter_obj(self, obj: Any, root: int = 0) -> Any:
        """Sends ``obj[i]`` from ``root`` to rank ``i``; returns this rank's part."""
        return self.mpi_comm.scatter(obj, root=root)

    # Models.

    def bcast_data(self, model: Any) -> None:
        """Makes every parameter of ``model`` (those initialized) equal to rank 0's."""
        params = [param for _, param in sorted(model.namedparams(), key=_name)
                  if param.array is not None]
        if not params:
            return
        descriptions = [_memory_utility.describe(param.array) for param in params]
        if self.rank == 0:
            buffer = numpy.concatenate(
                [_memory_utility.host_bytes(param.array) for param in params])
        else:
            buffer = numpy.empty(sum(map(_memory_utility.nbytes_of, descriptions)), numpy.uint8)
        self.mpi_comm.Bcast(buffer, root=0)
        if self.rank != 0:
            hosts = _memory_utility.split_bytes(buffer, descriptions,
                                                _memory_utility.host_from_bytes)
            for param, host in zip(params, hosts):
                param.array = polychain.backend.get_device_from_array(param.array).send(host)

    def _grad_params(self, model: Any, zero_fill: bool) -> list[Any]:
        """The parameters whose gradients take part, in name order: the initialized ones
        with a gradient, or with ``zero_fill`` all initialized ones (a missing gradient
        counting as zeros)."""
        return [param for _, param in sorted(model.namedparams(), key=_name)
                if param.array is not None and (zero_fill or param.grad is not None)]

    def _multi_node_mean(self, params: list[Any]) -> None:
        """Replaces the gradients of ``params`` by their means over all ranks, in one
        allreduce of one host buffer."""
        if not params:
            return
        grads = [param.grad for param in params]
        arrays = [param.array for param in params]
        if polychain.is_debug():
            self._check_ready_to_allreduce(arrays)
        dtype = numpy.result_type(*[_memory_utility.reduce_dtype(a) for a in arrays])
        buffer = _memory_utility.pack(grads, arrays, dtype)
        self._allreduce_buffer(buffer)
        buffer /= self.size
        if polychain.is_debug() and not numpy.isfinite(buffer).all():
            raise ValueError('Parameters diverged after allreduce.')
        for param, grad in zip(params, _memory_utility.unpack(buffer, arrays)):
            param.grad = grad

    def _allreduce_buffer(self, buffer: numpy.ndarray) -> None:
        """Sums ``buffer`` over all ranks in place."""
        self.mpi_comm.Allreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)

    def _check_ready_to_allreduce(self, arrays: list[Any]) -> None:
        shapes = [tuple(a.shape) for a in arrays]
        for rank, other in enumerate(self.mpi_comm.allgather(shapes)):
            if other != shapes:
                raise ValueError(
                    f'multi_node_mean_grad: the gradients of rank {self.rank} have shapes '
                    f'{shapes} while those of rank {rank} have {other}')

    def finalize(self) -> None:
        """Nothing to release: the MPI job and ``mpi_comm`` belong to the caller."""


def _name(item: tuple[str, Any]) -> str:
    return item[0]
