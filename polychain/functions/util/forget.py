"""forget: trades computation for memory by recomputing a function in backward."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.configuration import (
    config,
    force_backprop_mode,
    no_backprop_mode,
    using_config,
)
from polychain.function_node import FunctionNode
from polychain.functions.math.sum import sum as sum_
from polychain.variable import Variable


def _ordinal(n: int) -> str:
    suffix = 'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')
    return f'{n}{suffix}'


def _as_outputs(function: str, outputs: Any) -> tuple[Variable, ...]:
    """``func``'s result as a tuple of Variables; RuntimeError naming a wrong one (Chainer)."""
    if isinstance(outputs, Variable):
        return (outputs,)
    if not isinstance(outputs, tuple):
        raise RuntimeError(f'{function}: expected func to return a Variable or a tuple of '
                           f'Variables, received {type(outputs).__name__}')
    for i, y in enumerate(outputs):
        if not isinstance(y, Variable):
            raise RuntimeError(f'{function}: the {_ordinal(i + 1)} output of func is '
                               f'{type(y).__name__}, expected a Variable')
    return outputs


class Forget(FunctionNode):
    """Calls ``func`` without building a graph; backward calls it again to differentiate it."""

    def __init__(self, func: Callable[..., Any]) -> None:
        if not callable(func):
            raise TypeError(f'forget: expected a callable as func, received '
                            f'{type(func).__name__}')
        self.func = func

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        with no_backprop_mode():
            outputs = _as_outputs('forget', self.func(*[Variable(x) for x in inputs]))
        return tuple(y.array for y in outputs)

    def backward(self, indexes, grad_outputs):
        if config.enable_backprop:
            raise RuntimeError('forget: double backpropagation through forget is not '
                               'supported; call backward() without enable_double_backprop')
        inputs = [Variable(x.array) for x in self.get_retained_inputs()]
        # Links that update statistics (batch normalization) skip it while recomputing.
        with force_backprop_mode(), using_config('in_recomputing', True):
            outputs = _as_outputs('forget', self.func(*inputs))
            if len(outputs) != len(grad_outputs):
                raise ValueError(f'forget: func returned {len(outputs)} outputs when '
                                 f'recomputed, {len(grad_outputs)} in the first call')
            # One scalar whose gradient is the output gradients: its backward
            # also accumulates the gradients of parameters used inside func.
            total = None
            for y, gy in zip(outputs, grad_outputs):
                if gy is None:
                    continue
                term = sum_(y * gy.array)
                total = term if total is None else total + term
        if total is not None:
            total.backward()
        return tuple(inputs[i].grad_var for i in indexes)


def forget(func: Callable[..., Any], *xs: Any) -> Variable | tuple[Variable, ...]:
    """Calls ``func`` without keeping its intermediate values, recomputing them in backward.

    The forward pass of ``func`` runs in ``no_backprop_mode``, so none of its
    intermediate arrays are kept; backward calls ``func`` again on the same
    inputs with backprop enabled and differentiates that call. This saves
    memory at the cost of a second forward pass. Parameters used inside
    ``func`` receive their gradients during that backward. Double
    backpropagation through ``forget`` is not supported (a RuntimeError).

    Args:
        func: A function of Variables returning a Variable or a tuple of Variables.
        xs: Its arguments: Variables or arrays. Without any, ``func`` is simply
            called (there is nothing to recompute it from).

    Raises:
        TypeError: ``func`` is not callable.
        RuntimeError: ``func`` returns something other than Variables.

    Returns:
        What ``func`` returns: a Variable or a tuple of Variables.
    """
    if not xs:
        # Nothing to recompute from: func's graph is kept as it is.
        if not callable(func):
            raise TypeError(f'forget: expected a callable as func, received '
                            f'{type(func).__name__}')
        outputs = _as_outputs('forget', func())
    else:
        outputs = Forget(func).apply(xs)
    return outputs[0] if len(outputs) == 1 else outputs
