"""Differentiable communication: Variables sent between ranks, gradients flowing back."""

from polychain.chainermn.functions.collective_communication import (
    AllGather,
    AllToAll,
    Bcast,
    Gather,
    Scatter,
    allgather,
    alltoall,
    bcast,
    gather,
    scatter,
)
from polychain.chainermn.functions.point_to_point_communication import Recv, Send, recv, send
from polychain.chainermn.functions.pseudo_connect import PseudoConnect, pseudo_connect

__all__ = [
    'AllGather', 'AllToAll', 'Bcast', 'Gather', 'PseudoConnect', 'Recv', 'Scatter', 'Send',
    'allgather', 'alltoall', 'bcast', 'gather', 'pseudo_connect', 'recv', 'scatter', 'send',
]
