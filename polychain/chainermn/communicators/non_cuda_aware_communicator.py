"""ChainerMN's ``non_cuda_aware`` communicator, for MPI builds that cannot read GPU memory."""

from __future__ import annotations

from typing import Any

from polychain.chainermn import nccl
from polychain.chainermn.communicators.flat_communicator import FlatCommunicator


class NonCudaAwareCommunicator(FlatCommunicator):
    """Gradients of CuPy arrays packed into one host buffer and reduced over MPI.

    As in ChainerMN it is meant for GPUs and needs CuPy built with NCCL:
    without it, creating one raises ``RuntimeError`` saying why.
    """

    def __init__(self, mpi_comm: Any) -> None:
        nccl.require()
        super().__init__(mpi_comm)
