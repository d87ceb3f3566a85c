"""ChainerMN's ``flat`` communicator: all gradients in one allreduce."""

from __future__ import annotations

from typing import Any

from polychain.chainermn.communicators.mpi_communicator_base import MpiCommunicatorBase


class FlatCommunicator(MpiCommunicatorBase):
    """Packs every gradient into one host buffer and averages it in one allreduce."""

    def multi_node_mean_grad(self, model: Any, zero_fill: bool = False) -> None:
        self._multi_node_mean(self._grad_params(model, zero_fill))
