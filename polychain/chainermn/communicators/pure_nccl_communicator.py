"""ChainerMN's ``pure_nccl`` communicator: gradients of CuPy arrays reduced with NCCL."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.chainermn import nccl
from polychain.chainermn.communicators.flat_communicator import FlatCommunicator


class PureNcclCommunicator(FlatCommunicator):
    """All gradients packed in one buffer and summed by an NCCL allreduce on the GPU;
    the other collectives go over MPI.

    Needs CuPy built with NCCL: without it, creating one raises ``RuntimeError``
    saying why.
    """

    def __init__(self, mpi_comm: Any) -> None:
        nccl.require()
        super().__init__(mpi_comm)
        self.nccl_comm = None
        with self.config_scope():
            self.allreduce_grad_dtype = None

    def set_config(self, name: str, value: Any = True, **kwargs: Any) -> None:
        """Also sets ``allreduce_grad_dtype`` (float16, float32, float64 or ``None``)."""
        if name != 'allreduce_grad_dtype':
            super().set_config(name, value, **kwargs)
            return
        if value is not None and numpy.dtype(value).name not in nccl.require().NCCL_TYPES:
            raise ValueError(f'allreduce_grad_dtype must be numpy.float16, numpy.float32, '
                             f'numpy.float64 or None, got {value}')
        with self.config_scope():
            self.allreduce_grad_dtype = None if value is None else numpy.dtype(value)

    def get_config(self, name: str | None = None) -> Any:
        if name == 'allreduce_grad_dtype':
            return self.allreduce_grad_dtype
        return super().get_config(name)

    def _init_comms(self) -> None:
        if self.nccl_comm is None:
            module = nccl.require().module
            uid = self.mpi_comm.bcast(module.get_unique_id() if self.rank == 0 else None)
            self.nccl_comm = module.NcclCommunicator(self.size, uid, self.rank)

    def _allreduce_buffer(self, buffer: numpy.ndarray) -> None:
        support = nccl.require()
        self._init_comms()
        support.allreduce_sum(self.nccl_comm, buffer, self.allreduce_grad_dtype or buffer.dtype)

    def finalize(self) -> None:
        """Destroys the NCCL communicator (it is created again when next needed)."""
        if self.nccl_comm is not None:
            self.nccl_comm.destroy()
            self.nccl_comm = None
