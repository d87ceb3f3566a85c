"""send and recv: moving Variables between ranks, with gradients flowing back."""

from __future__ import annotations

from typing import Any

from polychain.chainermn.functions import _delegate
from polychain.function_node import FunctionNode
from polychain.variable import Variable


class Send(FunctionNode):
    """Sends its inputs (but the last, a dummy) to ``peer_rank``; returns a delegate.

    Backward receives the inputs' gradients from ``peer_rank``.
    """

    def __init__(self, comm: Any, peer_rank: int, peer_tag: int) -> None:
        self.comm = comm
        self.peer_rank = peer_rank
        self.peer_tag = peer_tag

    def forward(self, inputs):
        xs = inputs[:-1]
        self.comm.send(xs[0] if len(xs) == 1 else xs, self.peer_rank, self.peer_tag)
        return _delegate.dummy_array(self.xp),

    def backward(self, indexes, grad_outputs):
        received = self.comm.recv(self.peer_rank, self.peer_tag)
        gxs = received if isinstance(received, tuple) else (received,)
        return tuple(self.device.send(gx) for gx in gxs) + (None,)


class Recv(FunctionNode):
    """Outputs the arrays received from ``peer_rank`` (``received``).

    Its input is a delegate variable; backward sends the outputs' gradients
    (zeros for those without) back to ``peer_rank`` and gives the delegate a
    zero gradient, so that backprop goes on through the delegate.
    """

    def __init__(self, comm: Any, peer_rank: int, peer_tag: int,
                 received: tuple[Any, ...]) -> None:
        self.comm = comm
        self.peer_rank = peer_rank
        self.peer_tag = peer_tag
        self.received = received

    def forward(self, inputs):
        self._delegate_signature = _delegate.signature(inputs)
        self._signature = _delegate.signature(self.received)
        received, self.received = self.received, None
        return received

    def backward(self, indexes, grad_outputs):
        xp = self.xp
        gys = _delegate.filled(xp, grad_outputs, self._signature)
        self.comm.send(gys[0] if len(gys) == 1 else gys, self.peer_rank, self.peer_tag)
        (shape, dtype), = self._delegate_signature
        return xp.zeros(shape, dtype=dtype),


def send(x: Any, communicator: Any, rank: int, tag: int = 0) -> Variable:
    """Sends ``x`` (a Variable, an array or a list or tuple of them) to ``rank``.

    Returns a delegate variable: backpropagating from it (or from a graph it is
    connected to with :func:`recv`'s ``delegate_variable`` or
    :func:`pseudo_connect`) receives the gradient of ``x`` from ``rank``.

    Raises:
        ValueError: ``rank`` is this process's own rank (that would deadlock).
    """
    if rank == communicator.rank:
        raise ValueError('rank must be different from communicator rank, '
                         'otherwise deadlock occurs')
    xs = tuple(x) if isinstance(x, (list, tuple)) else (x,)
    device = _delegate.device_of([_delegate.as_array(x_) for x_ in xs])
    delegate, = Send(communicator, rank, tag).apply(xs + (_delegate.dummy_variable(device),))
    delegate.name = 'delegate_variable'
    return delegate


def recv(communicator: Any, rank: int, delegate_variable: Variable | None = None,
         tag: int = 0, force_tuple: bool = False) -> Variable | tuple[Variable, ...]:
    """Receives what :func:`send` on ``rank`` sent, as Variables.

    Args:
        communicator: The ChainerMN communicator.
        rank: The rank that sends.
        delegate_variable: A delegate variable (from :func:`send`) that the
            received Variables are connected to, so that backprop goes on to it.
        tag: The message tag.
        force_tuple: Return a tuple even when one Variable was received.

    Raises:
        ValueError: ``rank`` is this process's own rank (that would deadlock).
    """
    if rank == communicator.rank:
        raise ValueError('rank must be different from communicator rank, '
                         'otherwise deadlock occurs')
    data = communicator.recv(rank, tag)
    received = data if isinstance(data, tuple) else (data,)
    if delegate_variable is None:
        delegate_variable = _delegate.dummy_variable(_delegate.device_of(received))
    ys = Recv(communicator, rank, tag, received).apply((delegate_variable,))
    if len(ys) == 1 and not force_tuple:
        return ys[0]
    return ys
