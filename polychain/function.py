"""Chainer's old-style ``Function``: forward and backward both on arrays.

A :class:`Function` runs in the graph through a :class:`FunctionAdapter`
node. Its backward works on arrays, so it cannot be differentiated again:
gradients it computes under ``enable_double_backprop=True`` carry a node
whose backward raises, as in Chainer.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from typing import Any

from polychain.backend import get_device_from_array
from polychain.configuration import force_backprop_mode, no_backprop_mode  # noqa: F401
from polychain.function_hooks import FunctionHook  # noqa: F401  (Chainer's names here)
from polychain.function_node import (
    CHECK_BEFORE_FORWARD,
    NO_CHECK,
    ForwardByBackend,
    FunctionNode,
    _on_cupy,
)
from polychain.variable import Variable, VariableNode


class Function(ForwardByBackend):
    """Old-style interface of a differentiable function, on arrays.

    Subclasses implement :meth:`forward` and :meth:`backward` (or their
    ``_cpu``/``_gpu`` variants, chosen by where the arrays live: ``_gpu`` for
    CuPy arrays, ``_cpu`` for every other backend). Both receive and return
    tuples of arrays. Unlike :class:`~polychain.FunctionNode`, every input is
    retained for backward unless :meth:`retain_inputs` says otherwise, and
    backward must return one gradient (or ``None``) per input.

    Calling the function on Variables or arrays records it in the graph
    through a :class:`FunctionAdapter` and returns one Variable, or a tuple
    of them for several outputs.

    >>> class Square(Function):
    ...     def forward(self, inputs):
    ...         x, = inputs
    ...         return x * x,
    ...     def backward(self, inputs, grad_outputs):
    ...         x, = inputs
    ...         gy, = grad_outputs
    ...         return 2 * x * gy,
    """

    _node: Any = None
    _owned_node: FunctionAdapter | None = None

    def __call__(self, *inputs: Any) -> Variable | tuple[Variable, ...]:
        """Applies the function to Variables or arrays.

        Args:
            inputs: Input Variables or arrays, all on one device.

        Returns:
            The output Variable, or a tuple of them when there are several.
        """
        node = self.node
        # From now on the graph owns the adapter and the adapter owns this function.
        node._function = self
        self._node = weakref.ref(node)
        self._owned_node = None
        outputs = node.apply(inputs)
        return outputs[0] if len(outputs) == 1 else outputs

    @property
    def node(self) -> FunctionAdapter:
        """The :class:`FunctionAdapter` that puts this function in the graph."""
        node = self._node() if self._node is not None else self._owned_node
        if node is None:
            node = self._owned_node = FunctionAdapter(self)
        return node

    @property
    def label(self) -> str:
        """The name used in error messages (the class name by default)."""
        return type(self).__name__

    @property
    def inputs(self) -> tuple[VariableNode, ...] | None:
        """The input nodes of the last call."""
        return self.node.inputs

    @property
    def outputs(self) -> tuple[Any, ...] | None:
        """Weak references to the output nodes of the last call."""
        return self.node.outputs

    @property
    def rank(self) -> int:
        """The position of the function in the graph's topological order."""
        return self.node.rank

    @property
    def output_data(self) -> tuple[Any, ...]:
        """One entry per output: the retained output array, ``None`` where not retained."""
        node = self.node
        data: list[Any] = [None] * node._n_outputs
        if node._retain_output_indexes is not None and node._retained_output_data is not None:
            for i, array in zip(node._retain_output_indexes, node._retained_output_data):
                data[i] = array
        return tuple(data)

    def check_type_forward(self, in_types: Any) -> None:
        """Checks the input types before :meth:`forward` (see :mod:`polychain.utils.type_check`).

        Args:
            in_types (~polychain.utils.type_check.TypeInfoTuple): Shape and
                dtype of each input.
        """

    def backward(self, inputs: tuple[Any, ...],
                 grad_outputs: tuple[Any, ...]) -> tuple[Any, ...]:
        """Computes the input gradient arrays; dispatches like :meth:`forward`.

        Args:
            inputs: Tuple of input arrays (``None`` for inputs not retained).
            grad_outputs: Tuple of output gradient arrays (``None`` where no
                gradient flows into an output).

        Returns:
            Tuple with one gradient array or ``None`` per input.
        """
        if _on_cupy(inputs + grad_outputs):
            return self.backward_gpu(inputs, grad_outputs)
        return self.backward_cpu(inputs, grad_outputs)

    def backward_cpu(self, inputs: tuple[Any, ...],
                     grad_outputs: tuple[Any, ...]) -> tuple[Any, ...]:
        """:meth:`backward` for non-CuPy arrays; by default no input gets a gradient."""
        return tuple(None for _ in inputs)

    def backward_gpu(self, inputs: tuple[Any, ...],
                     grad_outputs: tuple[Any, ...]) -> tuple[Any, ...]:
        """:meth:`backward` for CuPy arrays; by default no input gets a gradient."""
        return tuple(None for _ in inputs)

    def retain_inputs(self, indexes: Iterable[int]) -> None:
        """Keeps only the inputs at ``indexes`` for backward (call it in forward).

        Without this call every input is kept; ``retain_inputs(())`` keeps none.
        Inputs not kept reach :meth:`backward` as ``None``.
        """
        self.node.retain_inputs(tuple(indexes))

    def retain_outputs(self, indexes: Iterable[int], retain_after_backward: bool = False) -> None:
        """Keeps the outputs at ``indexes`` in :attr:`output_data` (call it in forward).

        Args:
            indexes (iterable of int): The outputs backward needs.
            retain_after_backward (bool): Has no effect; kept for compatibility.
        """
        self.node.retain_outputs(tuple(indexes))

    def unchain(self) -> None:
        """Drops the references to inputs and retained arrays."""
        self.node.unchain()


class FunctionAdapter(FunctionNode):
    """The :class:`~polychain.FunctionNode` that runs an old-style :class:`Function`.

    The adapter belongs to its function until the function is called; from
    then on the graph holds the adapter and the adapter holds the function.

    Args:
        function (Function): The function to run.
    """

    def __init__(self, function: Function) -> None:
        self._function: Function | None = None
        self._weak_function = weakref.ref(function)
        # A check set on the instance counts too (Chainer's tests mock it so).
        checks = type(function).check_type_forward is not Function.check_type_forward or \
            'check_type_forward' in vars(function)
        self._type_check = CHECK_BEFORE_FORWARD if checks else NO_CHECK

    @property
    def function(self) -> Function | None:
        """The wrapped :class:`Function`."""
        return self._function if self._function is not None else self._weak_function()

    @property
    def label(self) -> str:
        return self.function.label

    @property
    def _impl_name(self) -> str:
        return type(self.function).__name__

    def check_type_forward(self, in_types: Any) -> None:
        self.function.check_type_forward(in_types)

    def forward(self, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
        self.retain_inputs(tuple(range(len(inputs))))
        # What the gradients must look like, even for inputs the function does not retain.
        self.input_types = tuple([(None, None) if x is None else (tuple(x.shape), x.dtype)
                                  for x in inputs])
        outputs = self.function.forward(inputs)
        if not isinstance(outputs, tuple):
            raise TypeError(f'{self.label}.forward: expected a tuple of arrays, received '
                            f'{type(outputs).__name__}; write "return y," for one output')
        return outputs

    def backward(self, target_input_indexes: tuple[int, ...],
                 grad_outputs: tuple[Variable | None, ...]) -> tuple[Variable | None, ...]:
        retained = self.get_retained_inputs()
        given = [(i, g) for i, g in enumerate(grad_outputs) if g is not None]
        gradient = _OldStyleGradient(self, len(self.inputs), self._retain_input_indexes,
                                     tuple(i for i, _ in given), target_input_indexes)
        computed = gradient.apply(retained + tuple(g for _, g in given))
        by_index = dict(zip(gradient.computed_indexes, computed))
        return tuple(by_index.get(i) for i in target_input_indexes)


class _OldStyleGradient(FunctionNode):
    """Runs an old-style backward on arrays; the gradients it returns are not differentiable.

    Its inputs are the retained inputs followed by the output gradients that
    are not ``None``; its outputs are the gradients, among the targets, that
    the backward did not leave ``None``.
    """

    def __init__(self, adapter: FunctionAdapter, n_inputs: int, retained: Sequence[int],
                 given_outputs: tuple[int, ...], targets: tuple[int, ...]) -> None:
        self.adapter = adapter
        self.n_inputs = n_inputs
        self.retained = tuple(retained)
        self.given_outputs = given_outputs
        self.targets = targets
        self.computed_indexes: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return f'{self.adapter.label} (old-style backward)'

    def forward(self, arrays: tuple[Any, ...]) -> tuple[Any, ...]:
        inputs: list[Any] = [None] * self.n_inputs
        for i, array in zip(self.retained, arrays):
            inputs[i] = array
        grad_outputs: list[Any] = [None] * self.adapter._n_outputs
        for i, array in zip(self.given_outputs, arrays[len(self.retained):]):
            grad_outputs[i] = array
        function = self.adapter.function
        gxs = function.backward(tuple(inputs), tuple(grad_outputs))
        if not isinstance(gxs, (tuple, list)) or len(gxs) != self.n_inputs:
            received = len(gxs) if isinstance(gxs, (tuple, list)) else type(gxs).__name__
            raise ValueError(f'{function.label}.backward: expected a tuple of {self.n_inputs} '
                             f'gradients (one per input, None allowed), received {received}')
        self.computed_indexes = tuple(i for i in self.targets if gxs[i] is not None)
        for i in self.computed_indexes:
            self._check_gradient(i, gxs[i])
        return tuple(gxs[i] for i in self.computed_indexes)

    def _check_gradient(self, index: int, gx: Any) -> None:
        """Chainer's checks of an old-style gradient: an array of the input's device
        (TypeError), dtype (TypeError) and shape (ValueError)."""
        label = self.adapter.label
        device = self.adapter.device
        if not isinstance(gx, device.backend.array_types) or \
                get_device_from_array(gx) is not device:
            raise TypeError(f'{label}.backward: gradient {index} must be an array on {device}, '
                            f'received {type(gx).__name__}')
        shape, dtype = self.adapter.input_types[index]
        if gx.dtype != dtype:
            raise TypeError(f'{label}.backward: gradient {index} has dtype {gx.dtype}, '
                            f'the input {dtype}')
        if tuple(gx.shape) != shape:
            raise ValueError(f'{label}.backward: gradient {index} has shape {tuple(gx.shape)}, '
                             f'the input {shape}')

    def backward(self, target_input_indexes: tuple[int, ...],
                 grad_outputs: tuple[Variable | None, ...]) -> tuple[Variable | None, ...]:
        raise RuntimeError(f'{self.adapter.label}: double backprop is not supported for '
                           f'old-style Functions (their backward works on arrays); write it '
                           f'as a FunctionNode to differentiate its gradients')
