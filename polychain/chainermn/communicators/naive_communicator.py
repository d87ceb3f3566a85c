"""ChainerMN's ``naive`` communicator: one allreduce per gradient."""

from __future__ import annotations

from typing import Any

from polychain.chainermn.communicators.mpi_communicator_base import MpiCommunicatorBase


class NaiveCommunicator(MpiCommunicatorBase):
    """Averages each gradient in an allreduce of its own (through host buffers)."""

    def multi_node_mean_grad(self, model: Any, zero_fill: bool = False) -> None:
        for param in self._grad_params(model, zero_fill):
            self._multi_node_mean([param])
