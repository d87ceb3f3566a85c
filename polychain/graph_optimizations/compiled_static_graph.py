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

import warnings
from collections.abc import Callable
from typing import Any

from polychain.backprop import grad
from polychain.compiler import tree
from polychain.compiler.jit import CompiledFunction, EagerFallbackWarning, compiles
from polychain.compiler.state import (
    Slot,
    generator_slots,
    state_to_create,
    variable_attribute_slots,
    variable_attributes,
)
from polychain.configuration import using_config
from polychain.function_node import FunctionNode
from polychain.graph_optimizations.static_graph_utilities import StaticCodeTakesArrays
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
        self._slots_by_name: dict[tuple, list[Slot]] = {}
        #: Why the method runs eagerly from now on (``None`` while it compiles).
        self.eager_reason: str | None = None

    def usable(self) -> bool:
        """Whether the next call can be compiled (initialised parameters on a compiling
        device, and no earlier call found code that only runs eagerly)."""
        if self.eager_reason is not None or state_to_create([self.chain]) is not None:
            return False
        device = self.chain.device
        return device is not None and compiles(device)

    def __call__(self, args: tuple, kwargs: dict) -> Any:
        """Calls the method through its compiled programs; if its ``static_code`` takes
        arrays, warns once and runs it eagerly from then on."""
        try:
            return self._call_compiled(args, kwargs)
        except StaticCodeTakesArrays as error:
            self.eager_reason = str(error)
            warnings.warn(f'static_graph: {type(self.chain).__name__} runs eagerly: '
                          f'{error}', EagerFallbackWarning, stacklevel=4)
            return self.method(self.chain, *args, **kwargs)

    def _call_compiled(self, args: tuple, kwargs: dict) -> Any:
        objects = tree.leaf_objects((args, kwargs))
        node = StaticGraphCall(self, tree.flatten((args, kwargs), []),
                               [isinstance(o, Variable) and o.requires_grad for o in objects])
        outputs = node.apply(list(self.chain.params()) + objects)
        return tree.unflatten(node.output_structure, list(outputs))[0]

    def _forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.method(self.chain, *args, **kwargs)

    def _backward(self, param_arrays: list[Any], state_values: list[Any], state_names: tuple,
                  arg_structure: Any, arg_leaves: list[Any], grad_outputs: list[Any]) -> list:
        """Gradients of the parameters and of the arguments that require them, from the
        chain's code run again with the state the forward call saw.

        ``state_names`` names the slots of ``state_values`` (see :meth:`state_slots`);
        it is part of the program's signature.
        """
        slots = [Slot(param, 'array') for param in self.chain.params()]
        slots += self._slots_by_name[state_names]
        saved = [slot.get() for slot in slots]
        attributes_before = variable_attributes(self.chain.links())
        try:
            for slot, value in zip(slots, [*param_arrays, *state_values]):
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
            _restore_attributes(self.chain.links(), attributes_before)
        return [None if g is None else g.array for g in grads]

    def state_slots(self) -> tuple[tuple, list[Slot]]:
        """The slots of the state a call reads besides the parameters (persistent values,
        Variable attributes such as an LSTM's state, random keys) and a hashable name of
        them."""
        slots: list[Slot] = []
        for link in self.chain.links():
            slots += [Slot(link, name) for name in sorted(link._persistent)]
            # None too: state a call creates (an LSTM's first h) is None again when the
            # backward program runs the call again
            slots += variable_attribute_slots(link, include_none=True)
        slots += generator_slots([self.chain.device])
        paths = {id(link): path for path, link in self.chain.namedlinks()}
        names = tuple((paths.get(id(slot.owner), type(slot.owner).__name__), slot.name)
                      for slot in slots)
        self._slots_by_name.setdefault(names, slots)
        return names, slots


def _restore_attributes(links: Any, before: dict) -> None:
    """Puts back the Variable attributes of ``links`` as they were (removing new ones)."""
    for key, (slot, _) in variable_attributes(links).items():
        if key in before:
            slot.set(before[key][1])
        else:
            delattr(slot.owner, slot.name)


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
        self.state_names: tuple = ()
        self.input_arrays: tuple[Any, ...] = ()

    @property
    def label(self) -> str:
        return f'static_graph({type(self.runner.chain).__name__})'

    def forward(self, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
        n_params = len(inputs) - len(self.arg_requires_grad)
        self.input_arrays = inputs
        self.state_names, slots = self.runner.state_slots()
        self.saved_state = [slot.get() for slot in slots]
        args, kwargs = tree.unflatten(self.arg_structure, list(inputs[n_params:]))[0]
        result = self.runner.forward_program(*args, **kwargs)
        leaves: list[Any] = []
        self.output_structure = tree.flatten(result, leaves)
        return tuple(leaves)

    def backward(self, indexes: tuple[int, ...],
                 grad_outputs: tuple[Variable | None, ...]) -> tuple[Variable | None, ...]:
        inputs = self.input_arrays
        n_params = len(inputs) - len(self.arg_requires_grad)
        grads = self.runner.backward_program(
            list(inputs[:n_params]), self.saved_state, self.state_names, self.arg_structure,
            list(inputs[n_params:]), [None if gy is None else gy.array for gy in grad_outputs])
        wanted = [True] * n_params + self.arg_requires_grad
        found = iter(grads)
        by_input = [next(found) if want else None for want in wanted]
        return tuple(None if by_input[i] is None else Variable(by_input[i]) for i in indexes)
