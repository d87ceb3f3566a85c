"""create_multi_node_n_step_rnn: an NStep RNN whose states come from and go to other ranks."""

from __future__ import annotations

from typing import Any

from polychain.chainermn.functions.point_to_point_communication import recv, send
from polychain.chainermn.functions.pseudo_connect import pseudo_connect
from polychain.link import Chain, Link


class _MultiNodeNStepRNN(Chain):
    """Receives the initial states from ``rank_in``, sends the final ones to ``rank_out``."""

    def __init__(self, link: Link, communicator: Any, rank_in: int | None,
                 rank_out: int | None) -> None:
        super().__init__(actual_rnn=link)
        self.communicator = communicator
        self.rank_in = rank_in
        self.rank_out = rank_out
        self.n_cells = link.n_cells

    def forward(self, *inputs: Any) -> tuple[Any, ...]:
        comm = self.communicator
        cells: list[Any] = [None] * self.n_cells
        if self.rank_in is not None:
            anchor = None
            for i in range(self.n_cells):
                cells[i] = anchor = recv(comm, self.rank_in, delegate_variable=anchor)
        outputs = self.actual_rnn(*cells, *inputs)
        delegate = None
        if self.rank_out is not None:
            for cell in outputs[:-1]:
                if delegate is not None:
                    cell, = pseudo_connect(delegate, cell)
                delegate = send(cell, comm, self.rank_out)
        return tuple(outputs) + (delegate,)


def create_multi_node_n_step_rnn(actual_link: Link, communicator: Any, rank_in: int | None = None,
                                 rank_out: int | None = None) -> Chain:
    """Wraps an NStep RNN link (``NStepLSTM``, ``NStepGRU``...) for model parallelism.

    The wrapped link's initial states are received from ``rank_in`` (``None``:
    zeros) and its final states sent to ``rank_out``. A call returns the
    link's outputs followed by the delegate variable of the sends (``None``
    without ``rank_out``), to connect with :func:`pseudo_connect`.
    """
    return _MultiNodeNStepRNN(actual_link, communicator, rank_in, rank_out)
