"""Reverse-mode differentiation over the graph: ``Variable.backward`` and ``grad``."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from polychain.configuration import config, override, restore
from polychain.variable import Variable, VariableNode


def backward(root: Variable, retain_grad: bool, enable_double_backprop: bool,
             loss_scale: float | None) -> None:
    """Implements :meth:`Variable.backward`."""
    node = root._node
    if node is None or node.creator is None:
        return
    gy = node.grad_var
    if gy is None:
        if root.size != 1:
            raise ValueError(f'Variable.backward: expected a variable of one element or a grad '
                             f'set beforehand, received shape {root.shape} with grad None; '
                             f'set y.grad to the initial error first')
        ones = root._device.namespace.ones_like(root._data)
        gy = node.grad_var = Variable._wrap(ones, root._device, None, False)
    if loss_scale is not None:
        gy = Variable._wrap(gy._data * loss_scale, root._device, None, False)
    _Backprop(retain_grad, enable_double_backprop, None).run([(node, gy)])


def grad(outputs: Sequence[Variable], inputs: Sequence[Variable],
         grad_outputs: Sequence[Variable | None] | None = None,
         grad_inputs: Sequence[Variable | None] | None = None, set_grad: bool = False,
         retain_grad: bool = False, enable_double_backprop: bool = False,
         loss_scale: float | None = None) -> list[Variable | None]:
    """Gradients of ``outputs`` with respect to ``inputs``, without touching ``.grad``.

    Args:
        outputs: Variables to differentiate.
        inputs: Variables to differentiate with respect to (leaves or not).
        grad_outputs: Initial gradients of the outputs; ``None`` entries (or
            no list) mean ones for one-element outputs.
        grad_inputs: Gradients added to the results.
        set_grad: Also store the results in ``inputs[i].grad_var``.
        retain_grad: Keep gradients of intermediate variables in their ``grad``.
        enable_double_backprop: Build a graph of the backward computation.
        loss_scale: Multiply the initial gradients by this factor.

    Returns:
        One gradient Variable (or ``None`` where none flows) per input.
    """
    outputs, inputs = list(outputs), list(inputs)
    for name, seq in (('outputs', outputs), ('inputs', inputs)):
        for v in seq:
            if not isinstance(v, Variable):
                raise TypeError(f'grad: expected Variables in {name}, received '
                                f'{type(v).__name__}')
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(f'grad: expected {len(outputs)} grad_outputs, received '
                         f'{len(grad_outputs)}')
    roots = []
    for y, gy in zip(outputs, grad_outputs):
        if gy is None:
            if y.size != 1:
                raise ValueError(f'grad: expected a grad_output for the output of shape '
                                 f'{y.shape} (only one-element outputs default to ones)')
            gy = Variable._wrap(y._device.namespace.ones_like(y._data), y._device, None, False)
        else:
            if not isinstance(gy, Variable):
                gy = Variable(gy, requires_grad=False)
            _check_grad_output(y, gy)
        if loss_scale is not None:
            gy = gy * loss_scale
        roots.append((y.node, gy))
    wanted = {}
    for x in inputs:
        wanted.setdefault(x.node, None)
    _Backprop(retain_grad, enable_double_backprop, wanted).run(roots)
    results = []
    for i, x in enumerate(inputs):
        gx = wanted[x.node]
        if grad_inputs is not None and grad_inputs[i] is not None:
            gx = grad_inputs[i] if gx is None else gx + grad_inputs[i]
        results.append(gx)
        if set_grad:
            x.grad_var = gx
    return results


#: The targets of a one-input function whose input needs a gradient.
_FIRST = (0,)


class _Backprop:
    """One backward pass: visits functions from the highest rank down."""

    def __init__(self, retain_grad: bool, double: bool,
                 wanted: dict[VariableNode, Any] | None) -> None:
        self.retain_grad = retain_grad
        self.double = double
        self.wanted = wanted
        self.pending: dict[Any, list[Any]] = {}
        self.output_nodes: dict[Any, dict[int, VariableNode]] = {}
        self.heap: list[tuple[int, int, Any]] = []
        self.counter = itertools.count()
        self.leaf_arrays: set[int] = set()
        self.roots: set[VariableNode] = set()

    def add(self, a: Variable | None, b: Variable) -> Variable:
        if a is None:
            return b
        if self.double:
            return a + b
        return Variable._wrap(a._data + b._data, a._device, None, False)

    def deliver(self, node: VariableNode, g: Variable) -> None:
        wanted = self.wanted
        if wanted is not None and node in wanted:
            wanted[node] = self.add(wanted[node], g)
        creator = node.creator
        if creator is None:
            if wanted is None and node._requires_grad:
                self.accumulate_leaf(node, g)
            return
        slots = self.pending.get(creator)
        if slots is None:
            slots = self.pending[creator] = [None] * creator._n_outputs
            heapq.heappush(self.heap, (-creator.rank, next(self.counter), creator))
        index = node.index
        previous = slots[index]
        slots[index] = g if previous is None else self.add(previous, g)
        # Intermediate nodes get their gradient when retain_grad is on; a gradient
        # left there by an earlier pass is cleared otherwise.
        if (self.retain_grad or node.grad_var is not None) and node not in self.roots:
            self.output_nodes.setdefault(creator, {})[node.index] = node

    def accumulate_leaf(self, node: VariableNode, g: Variable) -> None:
        # A gradient array handed to two leaves (``x + x``) is copied, so that
        # in-place updates of one leaf's grad never change another's.
        if not self.double:
            if id(g._data) in self.leaf_arrays:
                copied = g._device.namespace.asarray(g._data, copy=True)
                g = Variable._wrap(copied, g._device, None, False)
            self.leaf_arrays.add(id(g._data))
        previous = node.grad_var
        node.grad_var = g if previous is None else self.add(previous, g)

    def run(self, roots: Iterable[tuple[VariableNode, Variable]]) -> None:
        roots = list(roots)
        self.roots = {node for node, _ in roots}
        for node, g in roots:
            self.leaf_arrays.add(id(g._data))
            self.deliver(node, g)
        debug = config.debug
        heap, pending, deliver = self.heap, self.pending, self.deliver
        previous = override('enable_backprop', self.double)
        try:
            while heap:
                func = heapq.heappop(heap)[2]
                grad_outputs = tuple(pending.pop(func))
                if self.output_nodes:
                    for i, node in self.output_nodes.pop(func, {}).items():
                        node.grad_var = grad_outputs[i] if self.retain_grad else None
                inputs = func.inputs
                if len(inputs) == 1:
                    targets = _FIRST if inputs[0]._requires_grad else ()
                else:
                    targets = tuple([i for i, x in enumerate(inputs) if x._requires_grad])
                if not targets:
                    continue
                if func._hooked:
                    grad_inputs = func._backward_hooked(targets, grad_outputs)
                else:
                    grad_inputs = func.backward(targets, grad_outputs)
                if len(grad_inputs) != len(targets):
                    grad_inputs = _targets_only(func, targets, grad_inputs)
                for i, gx in zip(targets, grad_inputs):
                    if gx is None:
                        continue
                    if not isinstance(gx, Variable):
                        gx = Variable._wrap(gx, func.device, None, False)
                    if debug:
                        _check_grad_shape(func, i, gx)
                    deliver(inputs[i], gx)
        finally:
            restore('enable_backprop', previous)


def _targets_only(func: Any, targets: tuple[int, ...],
                  grad_inputs: Sequence[Variable | None]) -> list[Variable | None]:
    """The gradients of the targets, from a backward that returned one per input."""
    if len(grad_inputs) != len(func.inputs):
        raise ValueError(f'{func.label}.backward: expected {len(targets)} gradients (or one '
                         f'per input), received {len(grad_inputs)}')
    return [grad_inputs[i] for i in targets]


def _check_grad_output(y: Variable, gy: Variable) -> None:
    if gy.shape != y.shape or gy.dtype != y.dtype or gy.device is not y.device:
        raise ValueError(f'grad: expected a grad_output of shape {y.shape}, dtype {y.dtype} on '
                         f'{y.device}, received shape {gy.shape}, dtype {gy.dtype} on '
                         f'{gy.device}')


def _check_grad_shape(func: Any, index: int, gx: Variable) -> None:
    expected = None
    if func._retain_input_indexes and index in func._retain_input_indexes:
        data = func._retained_input_data[func._retain_input_indexes.index(index)]
        expected = tuple(data.shape)
    if expected is not None and tuple(gx.shape) != expected:
        raise ValueError(f'{func.label}.backward: gradient of input {index} has shape '
                         f'{tuple(gx.shape)}, expected {expected}')
