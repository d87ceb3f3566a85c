"""A static chain compiled on backends that compile (JAX): one node, two programs.

Each call of a compiled static chain is one :class:`StaticGraphCall` node in
the define-by-run graph, whose inputs are the chain's parameters and the
call's arrays. Its forward is the chain's code compiled (persistent values
and the random generator carried through, reports passed on); its backward
is a second compiled program that runs the same code again, from the same
random key, and differentiates it with polychain's own backward. Both are
traced once per input signature and cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.backprop import grad
from polychain.compiler import tree
from polychain.compiler.jit import CompiledFunction, compiles
from polychain.compiler.state import Slot, generator_slots, needs_eager_step
from polychain.configuration import using_config
from polychain.function_node import FunctionNode
from polychain.variable import Variable


class CompiledStaticChain:
    """The compiled forward and backward programs of one static method of one chain.

    Args:
        chain: The chain.
        method: The undecorated method (called as ``method(chain, *args, **kwargs)``).
    """

    def __init__(self, chain: Any, method: Callable[..., Any]) -> None:
        self.chain = chain
        self.method = method
        self.forward_program = CompiledFunction(self._forward, [chain], donate=False)
        self.backward_program = CompiledFunction(self._backward, donate=False, random=False,
                                                 static_code=False)

    def usable(self) -> bool:
        """Whether the next call can be compiled (initialised parameters on a compiling
        device)."""
        if needs_eager_step([self.chain]) is not None:
            return False
        device = self.chain.device
        return device is not None and compiles(device)

    def __call__(self, args: tuple, kwargs: dict) -> Any:
        objects = tree.leaf_objects((args, kwargs))
        node = StaticGraphCall(self, tree.flatten((args, kwargs), []),
                               [isinstance(o, Variable) and o.requires_grad for o in objects])
        outputs = node.apply(list(self.chain.params()) + objects)
        return tree.unflatten(node.output_structure, list(outputs))[0]

    def _forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.method(self.chain, *args, **kwargs)

    def _backward(self, param_arrays: list[Any], persistent_values: list[Any], keys: list[Any],
                  arg_structure: Any, arg_leaves: list[Any], grad_outputs: list[Any]) -> list:
        """Gradients of the parameters and of the arguments that require them, from the
        chain's code run again with the state the forward call saw."""
        slots = self._slots()
        saved = [slot.get() for slot in slots]
        try:
            for slot, value in zip(slots, [*param_arrays, *persistent_values, *keys]):
                slot.set(value)
            args, kwargs = tree.unflatten(arg_structure, arg_leaves)[0]
            with using_config('enable_backprop', True):
                result = self.method(self.chain, *args, **kwargs)
            outputs = tree.leaf_objects(result)
            targets = list(self.chain.params()) + [
                leaf for leaf in tree.leaf_objects((args, kwargs))
                if isinstance(leaf, Variable) and leaf.requires_grad]
            pairs = [(y, gy) for y, gy in zip(outputs, grad_outputs)
                     if isinstance(y, Variable) and gy is not None]
            grads = grad([y for y, _ in pairs], targets,
                         [Variable(gy) for _, gy in pairs]) if pairs else [None] * len(targets)
        finally:
            for slot, value in zip(slots, saved):
                slot.set(value)
        return [None if g is None else g.array for g in grads]

    def _slots(self) -> list[Slot]:
        """Parameter arrays, persistent values and random keys, in that order."""
        slots = [Slot(param, 'array') for param in self.chain.params()]
        slots += [Slot(link, name) for link in self.chain.links()
                  for name in sorted(link._persistent)]
        return slots + list(generator_slots([self.chain.device]))


class StaticGraphCall(FunctionNode):
    """One call of a compiled static chain in the graph (inputs: the chain's parameters,
    then the call's Variables and arrays).

    Args:
        runner: The chain's compiled programs.
        arg_structure: The structure of the call's arguments (see :mod:`polychain.compiler.tree`).
        arg_requires_grad: For each array argument, whether it is a Variable that
            requires a gradient.
    """

    def __init__(self, runner: CompiledStaticChain, arg_structure: Any,
                 arg_requires_grad: list[bool]) -> None:
        self.runner = runner
        self.arg_structure = arg_structure
        self.arg_requires_grad = arg_requires_grad
        self.output_structure: Any = None
        self.saved_state: list[Any] = []
        self.input_arrays: tuple[Any, ...] = ()

    @property
    def label(self) -> str:
        return f'static_graph({type(self.runner.chain).__name__})'

    def forward(self, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
        runner = self.runner
        n_params = len(inputs) - len(self.arg_requires_grad)
        self.input_arrays = inputs
        self.saved_state = [slot.get() for slot in runner._slots()[n_params:]]
        args, kwargs = tree.unflatten(self.arg_structure, list(inputs[n_params:]))[0]
        result = runner.forward_program(*args, **kwargs)
        leaves: list[Any] = []
        self.output_structure = tree.flatten(result, leaves)
        return tuple(leaves)

    def backward(self, indexes: tuple[int, ...],
                 grad_outputs: tuple[Variable | None, ...]) -> tuple[Variable | None, ...]:
        runner = self.runner
        inputs = self.input_arrays
        n_params = len(inputs) - len(self.arg_requires_grad)
        n_keys = len(list(generator_slots([runner.chain.device])))
        n_persistent = len(self.saved_state) - n_keys
        grads = runner.backward_program(
            list(inputs[:n_params]), self.saved_state[:n_persistent],
            self.saved_state[n_persistent:], self.arg_structure, list(inputs[n_params:]),
            [None if gy is None else gy.array for gy in grad_outputs])
        wanted = [True] * n_params + self.arg_requires_grad
        found = iter(grads)
        by_input = [next(found) if want else None for want in wanted]
        return tuple(None if by_input[i] is None else Variable(by_input[i]) for i in indexes)
