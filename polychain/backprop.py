"""Reverse-mode differentiation over the graph: ``Variable.backward`` and ``grad``."""

from __future__ import annotations

import heapq
import itertools
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

from polychain._backprop_utils import (
    annotate_backward_error,
    check_gradient,
    check_gradient_type,
    targets_only,
)
from polychain.configuration import config, override, restore
from polychain.variable import Variable, VariableNode


def variable_backward(self: Variable, retain_grad: bool = False,
                      enable_double_backprop: bool = False,
                      loss_scale: float | None = None) -> None:
    """Computes the gradients of this variable with respect to everything behind it.

    A variable of one element starts from a gradient of one; a larger one needs
    ``grad`` set first. Gradients of leaf variables accumulate until cleared.

    Args:
        retain_grad: Keep the gradients of intermediate variables too.
        enable_double_backprop: Build a graph of the backward computation so
            the gradients can be differentiated again.
        loss_scale: Multiply the initial gradient by this factor.
    """
    node = self._node
    if node is None or node.creator is None:
        return
    gy = node.grad_var
    if gy is None:
        if self.size != 1:
            # Chainer does nothing here; a warning says why no gradient appears.
            warnings.warn(f'Variable.backward: a variable of shape {self.shape} has no grad, so '
                          f'nothing is computed; set y.grad to the initial error first',
                          RuntimeWarning, stacklevel=2)
            return
        if self.ndim != 0:
            warnings.warn('Variable.backward: treating a variable of one element as a scalar '
                          'is deprecated; give it shape () or set its grad',
                          DeprecationWarning, stacklevel=2)
        ones = self._device.namespace.ones_like(self._data)
        gy = node.grad_var = Variable._wrap(ones, self._device, None, False)
    if loss_scale is not None:
        gy = Variable._wrap(gy._data * loss_scale, self._device, None, False)
    _Backprop(retain_grad, enable_double_backprop, None).run([(node, gy)])
    if not retain_grad:
        node.grad_var = None  # the initial gradient is used up, as in Chainer v6 and later


# Variable's method: polychain.variable sits below this module and imports nothing of it.
variable_backward.__qualname__ = 'Variable.backward'
Variable.backward = variable_backward


def backward(outputs: Sequence[Variable],
             grad_outputs: Sequence[Variable | Any | None] | None = None, *,
             retain_grad: bool = False, enable_double_backprop: bool = False,
             loss_scale: float | None = None) -> None:
    """Runs backpropagation from several outputs at once (``polychain.backward``).

    Gradients accumulate in the ``grad`` of the leaves, as with
    :meth:`Variable.backward`, and each function's backward runs once.

    Args:
        outputs: The Variables to start from.
        grad_outputs: Their initial gradients (Variables or arrays; ``None``
            skips an output). Without it each output's ``grad_var`` is used,
            and an output without one is skipped with a RuntimeWarning, as is
            a repeated output.
        retain_grad: Keep the gradients of intermediate variables (and of the outputs).
        enable_double_backprop: Build a graph of the backward computation.
        loss_scale: Multiply the initial gradients by this factor.
    """
    _check_sequences('backward', outputs, [], grad_outputs, None)
    from_grads = grad_outputs is None
    if from_grads:
        grad_outputs = [y.grad_var for y in outputs]
    roots = {}
    for y, gy in zip(outputs, grad_outputs):
        node = y.node
        if node in roots:
            warnings.warn('backward: an output is given twice; its gradient is used once',
                          RuntimeWarning, stacklevel=2)
            continue
        if gy is None:
            if from_grads:
                warnings.warn('backward: an output has no grad (backward sets no default '
                              'grad); it is skipped', RuntimeWarning, stacklevel=2)
            continue
        if not isinstance(gy, Variable):
            gy = Variable(gy, requires_grad=False)
        if loss_scale is not None:
            gy = Variable._wrap(gy._data * loss_scale, gy._device, None, False)
        roots[node] = gy
    _Backprop(retain_grad, enable_double_backprop, None).run(
        [(node, gy) for node, gy in roots.items() if node.creator is not None])
    if not retain_grad:
        for node in roots:
            node.grad_var = None


def grad(outputs: Sequence[Variable], inputs: Sequence[Variable],
         grad_outputs: Sequence[Variable | None] | None = None,
         grad_inputs: Sequence[Variable | None] | None = None, set_grad: bool = False,
         retain_grad: bool = False, enable_double_backprop: bool = False,
         loss_scale: float | None = None) -> list[Variable | None]:
    """Gradients of ``outputs`` with respect to ``inputs``, without touching ``.grad``.

    Args:
        outputs: Variables to differentiate.
        inputs: Variables to differentiate with respect to (leaves or not;
            ``None`` entries get ``None``).
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
    _check_sequences('grad', outputs, inputs, grad_outputs, grad_inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    roots = []
    for y, gy in zip(outputs, grad_outputs):
        if gy is None:
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
        if x is not None:
            wanted.setdefault(x.node, None)
    # The initial gradients of the inputs flow on to the inputs behind them, as in Chainer.
    seeds = [] if grad_inputs is None else \
        [(x.node, g) for x, g in zip(inputs, grad_inputs) if x is not None and g is not None]
    _Backprop(retain_grad, enable_double_backprop, wanted).run(roots, seeds)
    results = []
    for x in inputs:
        if x is None:
            results.append(None)
            continue
        gx = wanted[x.node]
        results.append(gx)
        if set_grad:
            x.grad_var = gx
    return results


def _check_sequences(caller: str, outputs: Any, inputs: Any, grad_outputs: Any,
                     grad_inputs: Any) -> None:
    """The argument checks of :func:`grad` and :func:`backward`: types and lengths."""
    for name, seq in (('outputs', outputs), ('inputs', inputs), ('grad_outputs', grad_outputs),
                      ('grad_inputs', grad_inputs)):
        if seq is None and name.startswith('grad'):
            continue
        if not isinstance(seq, (tuple, list)):
            raise TypeError(f'{caller}: {name} must be a tuple or a list, not '
                            f'{type(seq).__name__}')
        if not name.startswith('grad'):
            for v in seq:
                if not isinstance(v, Variable) and not (v is None and name == 'inputs'):
                    raise TypeError(f'{caller}: expected Variables in {name}, received '
                                    f'{type(v).__name__}')
    for name, seq, like in (('grad_outputs', grad_outputs, 'outputs'),
                            ('grad_inputs', grad_inputs, 'inputs')):
        expected = len(outputs if like == 'outputs' else inputs)
        if seq is not None and len(seq) != expected:
            raise ValueError(f'{caller}: {name} must be of the same length as {like}: '
                             f'expected {expected}, received {len(seq)}')


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
        #: Gradient slots of functions given initial gradients before the pass reaches them.
        self.seeded: dict[Any, list[Any]] = {}

    def add(self, a: Variable | None, b: Variable) -> Variable:
        if a is None:
            return b
        if self.double:
            return a + b
        device = a._device
        total = a._data + b._data
        if device.scalar_types and isinstance(total, device.scalar_types):
            total = device.namespace.asarray(total)  # NumPy gives scalars for 0-d sums
        return Variable._wrap(total, device, None, False)

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
            slots = self.seeded.pop(creator, None) if self.seeded else None
            if slots is None:
                slots = [None] * creator._n_outputs
            self.pending[creator] = slots
            heapq.heappush(self.heap, (-creator.rank, next(self.counter), creator))
        index = node.index
        previous = slots[index]
        slots[index] = g if previous is None else self.add(previous, g)
        # Intermediate nodes (and grad()'s outputs) get their gradient when retain_grad
        # is on; otherwise their grad is left as it was.
        if self.retain_grad and (wanted is not None or node not in self.roots):
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

    def seed(self, node: VariableNode, g: Variable) -> None:
        """Gives ``node`` an initial gradient without scheduling its creator."""
        wanted = self.wanted
        if wanted is not None and node in wanted:
            wanted[node] = self.add(wanted[node], g)
        creator = node.creator
        if creator is not None:
            slots = self.seeded.setdefault(creator, [None] * creator._n_outputs)
            slots[node.index] = self.add(slots[node.index], g)

    def run(self, roots: Iterable[tuple[VariableNode, Variable]],
            seeds: Iterable[tuple[VariableNode, Variable]] = ()) -> None:
        for node, g in seeds:
            self.seed(node, g)
        roots = list(roots)
        self.roots = {node for node, _ in roots}
        for node, g in roots:
            self.leaf_arrays.add(id(g._data))
            self.deliver(node, g)
        debug = config.debug
        heap, pending, deliver = self.heap, self.pending, self.deliver
        previous = override('enable_backprop', self.double)
        func = None
        try:
            while heap:
                func = heapq.heappop(heap)[2]
                grad_outputs = tuple(pending.pop(func))
                if self.output_nodes:
                    for i, node in self.output_nodes.pop(func, {}).items():
                        node.grad_var = grad_outputs[i]
                inputs = func.inputs
                if len(inputs) == 1:
                    targets = _FIRST if inputs[0]._requires_grad else ()
                else:
                    targets = tuple([i for i, x in enumerate(inputs) if x._requires_grad])
                if not targets:
                    continue
                if func._accumulates:
                    self.accumulate(func, targets, grad_outputs, debug)
                    continue
                if func._hooked:
                    grad_inputs = func._backward_hooked(targets, grad_outputs)
                else:
                    grad_inputs = func.backward(targets, grad_outputs)
                if debug:
                    for gx in grad_inputs:
                        check_gradient_type(func, gx)
                if len(grad_inputs) != len(targets):
                    grad_inputs = targets_only(func, targets, grad_inputs)
                for i, gx in zip(targets, grad_inputs):
                    if gx is None:
                        continue
                    if not isinstance(gx, Variable):
                        gx = Variable._wrap(gx, func.device, None, False)
                    if debug:
                        check_gradient(func, i, gx, self.received(inputs[i]))
                    deliver(inputs[i], gx)
        except Exception as error:
            if func is not None:
                annotate_backward_error(func, error)
            raise
        finally:
            restore('enable_backprop', previous)

    def received(self, node: VariableNode) -> Variable | None:
        """The gradient ``node`` has received so far in this pass (a leaf: its ``grad_var``)."""
        creator = node.creator
        if creator is not None:
            slots = self.pending.get(creator)
            return None if slots is None else slots[node.index]
        if self.wanted is not None:
            return self.wanted.get(node)
        return node.grad_var

    def take(self, node: VariableNode) -> Variable | None:
        """Removes and returns the gradient ``node`` has received so far."""
        g = self.received(node)
        creator = node.creator
        if creator is not None:
            slots = self.pending.get(creator)
            if slots is not None:
                slots[node.index] = None
        elif self.wanted is None:
            if node._requires_grad:
                node.grad_var = None
            return g
        wanted = self.wanted
        if wanted is not None and node in wanted:
            wanted[node] = None
        return g

    def accumulate(self, func: Any, targets: tuple[int, ...],
                   grad_outputs: tuple[Variable | None, ...], debug: bool) -> None:
        """The step of a function that overrides ``backward_accumulate``."""
        inputs = func.inputs
        # An input passed twice gets its gradient at its first position only.
        received = tuple([self.take(inputs[i]) for i in targets])
        results = targets_only(func, targets,
                               func.backward_accumulate(targets, grad_outputs, received))
        for i, gx, previous in zip(targets, results, received):
            if gx is None:
                continue
            if not isinstance(gx, Variable):
                gx = Variable._wrap(gx, func.device, None, False)
            if debug:
                check_gradient(func, i, gx, previous)
            self.deliver(inputs[i], gx)


def _check_grad_output(y: Variable, gy: Variable) -> None:
    if gy.shape != y.shape or gy.dtype != y.dtype or gy.device is not y.device:
        raise ValueError(f'grad: expected a grad_output of shape {y.shape}, dtype {y.dtype} on '
                         f'{y.device}, received shape {gy.shape}, dtype {gy.dtype} on '
                         f'{gy.device}')
