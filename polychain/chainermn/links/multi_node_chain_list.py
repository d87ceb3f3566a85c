"""MultiNodeChainList: a model whose parts run on different ranks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.chainermn.functions.point_to_point_communication import recv, send
from polychain.chainermn.functions.pseudo_connect import pseudo_connect
from polychain.link import ChainList, Link
from polychain.variable import Variable

_Ranks = int | Sequence[int] | None


def _as_list(ranks: _Ranks) -> list[int] | None:
    if ranks is None:
        return None
    return [ranks] if isinstance(ranks, int) else list(ranks)


def _connect(anchor: Variable | None, x: Any) -> Any:
    """``x`` (a Variable or a tuple of them) made to backpropagate into ``anchor`` too."""
    if anchor is None:
        return x
    if isinstance(x, tuple):
        return pseudo_connect(anchor, *x)
    return pseudo_connect(anchor, x)[0]


class MultiNodeChainList(ChainList):
    """A chain of components, each taking its input from a rank and sending its output to one.

    A component's ``rank_in`` says where its inputs come from: ``None`` for the
    arguments of the call, a rank (or a list of ranks, one input each) to
    receive from; ``rank_out`` says where its output goes: ``None`` for the
    model's output (one component at most), a rank or a list of ranks to send
    it to. This rank's own rank in either means an output kept here for a
    later component. Every communication of a call is chained to the previous
    one, so that backward runs them in the reverse order on every rank. The
    call returns the model's output, or, when it has none here, the delegate
    variable to call ``backward`` on.

    Args:
        comm: The ChainerMN communicator.
    """

    def __init__(self, comm: Any) -> None:
        super().__init__()
        self._comm = comm
        self._rank_inouts: list[tuple[list[int] | None, list[int] | None]] = []

    def add_link(self, link: Link, rank_in: _Ranks = None, rank_out: _Ranks = None) -> None:
        """Appends a component.

        Args:
            link: The component.
            rank_in: ``None`` (the call's arguments), a rank or a list of ranks.
            rank_out: ``None`` (the model's output), a rank or a list of ranks.
        """
        super().add_link(link)
        self._rank_inouts.append((_as_list(rank_in), _as_list(rank_out)))

    def forward(self, *inputs: Any) -> Any:
        comm = self._comm
        y = None
        anchor = None  # the result of the latest communication
        kept: list[Any] = []  # outputs sent to this rank, in order
        for link, (rank_in, rank_out) in zip(self, self._rank_inouts):
            if rank_in is None:
                x = link(*inputs)
            else:
                xs = []
                for rank in rank_in:
                    if rank == comm.rank:
                        xs.append(kept.pop(0))
                        continue
                    received = recv(comm, rank, delegate_variable=anchor)
                    anchor = received[0] if isinstance(received, tuple) else received
                    xs.append(received)
                x = link(*xs)
            if rank_out is None:
                if y is not None:
                    raise ValueError('MultiNodeChainList: only one component can have '
                                     'rank_out=None (the model output)')
                y = x
                continue
            for rank in rank_out:
                if rank == comm.rank:
                    kept.append(x)
                else:
                    anchor = send(_connect(anchor, x), comm, rank)
        if y is None:
            return anchor
        return _connect(anchor, y)
