"""Collective communication of Variables: allgather, alltoall, bcast, gather, scatter.

Every rank must call the same function in the same order, forward and
backward. A rank without data of its own (non-root ``bcast``/``scatter``
callers) passes a delegate input, and a non-root ``gather`` caller gets a
delegate output: backpropagating through them runs that rank's half of the
backward communication.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.chainermn.functions import _delegate
from polychain.function_node import FunctionNode
from polychain.variable import Variable


def _sum(arrays: Sequence[Any]) -> Any:
    total = arrays[0]
    for array in arrays[1:]:
        total = total + array
    return total


class AllGather(FunctionNode):
    """Outputs every rank's input; backward sums each rank's gradients of this rank's input."""

    def __init__(self, comm: Any) -> None:
        self.comm = comm

    def forward(self, inputs):
        ys = self.comm.allgather(inputs[0])
        self._signature = _delegate.signature(ys)
        return tuple(self.device.send(y) for y in ys)

    def backward(self, indexes, grad_outputs):
        gys = _delegate.filled(self.xp, grad_outputs, self._signature)
        return self.device.send(_sum(self.comm.alltoall(gys))),


class AllToAll(FunctionNode):
    """Sends input ``i`` to rank ``i`` and outputs what each rank sent here."""

    def __init__(self, comm: Any) -> None:
        self.comm = comm

    def forward(self, inputs):
        ys = self.comm.alltoall(inputs)
        self._signature = _delegate.signature(ys)
        return tuple(self.device.send(y) for y in ys)

    def backward(self, indexes, grad_outputs):
        gys = _delegate.filled(self.xp, grad_outputs, self._signature)
        return tuple(self.device.send(gx) for gx in self.comm.alltoall(gys))


class Bcast(FunctionNode):
    """Outputs root's input on every rank (others' input is a delegate).

    ``received`` holds what a non-root rank received. Backward gathers the
    gradients at root and sums them there.
    """

    def __init__(self, comm: Any, root: int, received: Any = None) -> None:
        self.comm = comm
        self.root = root
        self.received = received

    def forward(self, inputs):
        if self.comm.rank == self.root:
            y = self.comm.bcast(inputs[0], root=self.root)
        else:
            y, self.received = self.received, None
        self._signature = _delegate.signature((y,))
        return y,

    def backward(self, indexes, grad_outputs):
        gy, = _delegate.filled(self.xp, grad_outputs, self._signature)
        gxs = self.comm.gather(gy, root=self.root)
        if self.comm.rank == self.root:
            return self.device.send(_sum(gxs)),
        return None,


class Gather(FunctionNode):
    """Outputs every rank's input at root, a delegate elsewhere; backward scatters back."""

    def __init__(self, comm: Any, root: int) -> None:
        self.comm = comm
        self.root = root

    def forward(self, inputs):
        ys = self.comm.gather(inputs[0], root=self.root)
        if self.comm.rank != self.root:
            return _delegate.dummy_array(self.xp),
        self._signature = _delegate.signature(ys)
        return tuple(self.device.send(y) for y in ys)

    def backward(self, indexes, grad_outputs):
        if self.comm.rank == self.root:
            gys = _delegate.filled(self.xp, grad_outputs, self._signature)
            gx = self.comm.scatter(gys, root=self.root)
        else:
            gx = self.comm.scatter(None, root=self.root)
        return self.device.send(gx),


class Scatter(FunctionNode):
    """Outputs root's input ``i`` on rank ``i`` (non-root inputs are a delegate).

    ``received`` holds what a non-root rank received. Backward gathers the
    gradients at root.
    """

    def __init__(self, comm: Any, root: int, received: Any = None) -> None:
        self.comm = comm
        self.root = root
        self.received = received

    def forward(self, inputs):
        if self.comm.rank == self.root:
            y = self.comm.scatter(inputs, root=self.root)
        else:
            y, self.received = self.received, None
        self._signature = _delegate.signature((y,))
        return self.device.send(y),

    def backward(self, indexes, grad_outputs):
        gy, = _delegate.filled(self.xp, grad_outputs, self._signature)
        gxs = self.comm.gather(gy, root=self.root)
        if self.comm.rank == self.root:
            return tuple(self.device.send(gx) for gx in gxs)
        return None,


def allgather(comm: Any, x: Any) -> tuple[Variable, ...]:
    """Every rank's ``x``, in rank order, on every rank (differentiable)."""
    return AllGather(comm).apply((x,))


def alltoall(comm: Any, xs: Sequence[Any]) -> tuple[Variable, ...]:
    """Sends ``xs[i]`` to rank ``i``; returns what each rank sent here, in rank order.

    Raises:
        ValueError: ``xs`` does not hold one Variable per rank.
    """
    if len(xs) != comm.size:
        raise ValueError('The length of xs must be same as communication size')
    return AllToAll(comm).apply(tuple(xs))


def bcast(comm: Any, x: Any, root: int = 0) -> Variable:
    """Root's ``x`` on every rank (other ranks pass ``None``)."""
    if comm.rank == root:
        return Bcast(comm, root).apply((x,))[0]
    received = comm.bcast(None, root=root)
    dummy = _delegate.dummy_variable(_delegate.device_of((received,)))
    return Bcast(comm, root, received).apply((dummy,))[0]


def gather(comm: Any, x: Any, root: int = 0) -> tuple[Variable, ...] | Variable:
    """Every rank's ``x`` at ``root`` (a tuple); a delegate variable on other ranks."""
    ys = Gather(comm, root).apply((x,))
    return ys if comm.rank == root else ys[0]


def scatter(comm: Any, xs: Sequence[Any] | None, root: int = 0) -> Variable:
    """``xs[i]`` of root on rank ``i`` (other ranks pass ``None``).

    Raises:
        ValueError: At root, ``xs`` does not hold one Variable per rank.
    """
    if comm.rank == root:
        if len(xs) != comm.size:
            raise ValueError('The length of xs must be same as communication size')
        return Scatter(comm, root).apply(tuple(xs))[0]
    received = comm.scatter(None, root=root)
    dummy = _delegate.dummy_variable(_delegate.device_of((received,)))
    return Scatter(comm, root, received).apply((dummy,))[0]
