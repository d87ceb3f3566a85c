"""FunctionNode: one differentiable operation of the define-by-run graph."""

from __future__ import annotations

import functools
import traceback
import types
import weakref
from collections.abc import Sequence
from typing import Any

from polychain._backprop_utils import NaNInForward, targets_only
from polychain.backend.registry import get_device_from_array
from polychain.backprop import grad  # noqa: F401  (Chainer's chainer.function_node.grad)
from polychain.configuration import Unusual, config
from polychain.function_hooks.function_hook import _REGISTRY as _FUNCTION_HOOKS
from polychain.utils.scoped_hooks import HookTarget
from polychain.utils.type_check import InvalidType, TypeInfo, check_types
from polychain.variable import Variable, VariableNode

_make_variable = Variable._wrap
_new_object = object.__new__
#: ``(0, ..., n - 1)`` by ``n``: a function that retains every input keeps the input tuple.
_EVERY_INDEX = {n: tuple(range(n)) for n in range(1, 8)}


class ForwardByBackend:
    """``forward`` handing CuPy arrays to ``forward_gpu`` and any other arrays to ``forward_cpu``.

    Shared by :class:`FunctionNode` and the old-style :class:`~polychain.Function`.
    """

    def forward(self, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
        """Computes the outputs from the input arrays; returns a tuple of arrays.

        Override it, or :meth:`forward_cpu` and :meth:`forward_gpu`: by default
        it calls :meth:`forward_gpu` on CuPy arrays and :meth:`forward_cpu` on
        the arrays of every other backend.
        """
        if _on_cupy(inputs):
            return self.forward_gpu(inputs)
        return self.forward_cpu(inputs)

    def forward_cpu(self, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
        """:meth:`forward` for arrays of non-CuPy backends (NumPy, JAX, ...)."""
        raise NotImplementedError(f'{self.label} must implement forward or forward_cpu')

    def forward_gpu(self, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
        """:meth:`forward` for CuPy arrays."""
        raise NotImplementedError(f'{self.label} must implement forward or forward_gpu')


class FunctionNode(ForwardByBackend, HookTarget):
    """A function whose forward works on arrays and whose backward works on Variables.

    Subclasses implement :meth:`forward` once against ``self.xp`` (the Array
    API namespace of the inputs' device) and :meth:`backward` with polychain
    functions, so that backward itself can be differentiated. Call
    :meth:`apply` to run it:

    >>> y, = MyFunction().apply((x,))

    During ``forward`` a function declares with :meth:`retain_inputs` and
    :meth:`retain_outputs` which arrays its backward needs; the graph keeps
    no others. A function that always retains the same ones may declare them
    once as the class attributes ``_retain_input_indexes`` /
    ``_retain_output_indexes`` instead, which keeps a call off its hot path.
    """

    #: Input nodes, set by :meth:`apply` when the call is recorded in the graph.
    inputs: tuple[VariableNode, ...] | None = None
    rank = 0
    device: Any = None
    xp: Any = None
    #: Set by subclasses whose forward raises on every input their
    #: ``check_type_forward`` rejects: the check then runs only to explain a
    #: failure, keeping it off the hot path.
    check_type_on_failure = False
    _n_outputs = 1
    _retain_input_indexes: tuple[int, ...] | None = None
    _retain_output_indexes: tuple[int, ...] | None = None
    _retained_input_data: tuple[Any, ...] | None = None
    _retained_output_data: tuple[Any, ...] | None = None
    #: Weak references to the output nodes, set by :meth:`apply` when the call is recorded
    #: for a function with several outputs or retained outputs. A single output that is
    #: not retained is not tracked: a weak reference per call costs several percent of
    #: a small op.
    outputs: tuple[weakref.ref, ...] | None = None
    #: Where the function was called (a ``traceback.StackSummary``), recorded in debug
    #: mode only; errors raised in its backward name it.
    stack: Any = None
    #: Whether the class overrides :meth:`backward_accumulate` (backprop then calls it).
    _accumulates = False
    #: Truthy when a hook may apply: the count of global hooks (on the class) or
    #: True on a function with local hooks.
    _hooked: int | bool = 0
    _hook_registry = _FUNCTION_HOOKS
    #: A bare ``FunctionNode()`` (configured attribute by attribute, as Chainer's tests do)
    #: always runs its ``check_type_forward``; subclasses decide in ``__init_subclass__``.
    _eager_type_check = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        overrides = cls.check_type_forward is not FunctionNode.check_type_forward
        cls._eager_type_check = overrides and not cls.check_type_on_failure
        cls._accumulates = cls.backward_accumulate is not FunctionNode.backward_accumulate
        inherited = cls.apply
        if 'apply' not in cls.__dict__ and \
                getattr(inherited, '__wrapped__', inherited) is FunctionNode.apply:
            cls.apply = _own_copy(FunctionNode.apply)

    @property
    def label(self) -> str:
        """The name used in error messages and graph dumps (the class name by default)."""
        return type(self).__name__

    @property
    def _impl_name(self) -> str:
        """The name of the implementing class (what TimerHook reports)."""
        return type(self).__name__

    # -- the user-facing call ----------------------------------------------------------
    def apply(self, inputs: Sequence[Any]) -> tuple[Variable, ...]:
        """Runs the function on Variables or arrays and returns the output Variables.

        Raises:
            ValueError: The inputs live on different devices.
            InvalidType: ``check_type_forward`` rejected the inputs.
        """
        # This is the hot path of every operation: keep it to plain loops and
        # attribute lookups. A call on one Variable, the most common, skips the loops.
        if len(inputs) == 1 and isinstance(inputs[0], Variable):
            x = inputs[0]
            device = x._device
            in_data = x._data,
            needs_grad = x._requires_grad
            nodes = None
        elif (len(inputs) == 2 and isinstance(inputs[0], Variable)
              and isinstance(inputs[1], Variable) and inputs[0]._device is inputs[1]._device):
            # Two Variables on one device, the next most common call.
            x, y = inputs
            device = x._device
            in_data = x._data, y._data
            needs_grad = x._requires_grad or y._requires_grad
            node, other = x._node, y._node
            rank = 0 if node is None else node._rank
            if other is not None and other._rank > rank:
                rank = other._rank
            nodes = [node, other]
        else:
            arrays = []
            nodes = []
            rank = 0
            device = None
            needs_grad = False
            for x in inputs:
                if isinstance(x, Variable):
                    arrays.append(x._data)
                    x_device = x._device
                    if x._requires_grad:
                        needs_grad = True
                    node = x._node
                    if node is not None and node._rank > rank:
                        rank = node._rank
                    nodes.append(node)
                else:
                    arrays.append(x)
                    nodes.append(None)
                    if x is None:
                        continue  # an absent optional input (Chainer allows None)
                    x_device = _device_of_input(self, x)
                if x_device is not device:
                    if device is None:
                        device = x_device
                    else:
                        _raise_device_mismatch(self, inputs)
            if device is None:
                raise ValueError(f'{self.label}: expected at least one input with an array, '
                                 f'received {len(inputs)} uninitialised or no inputs')
            in_data = tuple(arrays)
        self.device = device
        self.xp = device.namespace
        if self._eager_type_check and (not Unusual.no_type_check or config.type_check):
            self._check_types(in_data)
        try:
            if self._hooked:
                outputs = self._forward_hooked(in_data)
            else:
                outputs = self.forward(in_data)
        except InvalidType as error:
            error.set_function(self.label)
            raise
        except Exception as error:
            self._explain_failure(in_data, error)
            raise
        # Paths taken rarely (several outputs) live in helpers: on Python 3.11 a
        # comprehension that reads local variables makes them cells, which slows
        # every access to them (``self`` included) even when it never runs.
        single = len(outputs) == 1
        scalar_types = device.scalar_types
        if scalar_types:
            if not single:
                outputs = _scalars_as_arrays(outputs, device)
            elif isinstance(outputs[0], scalar_types):
                outputs = device.namespace.asarray(outputs[0]),
        if Unusual.debug and config.debug:
            self.stack = traceback.extract_stack()[:-1]
            self._check_nan(outputs)
        if not (needs_grad and (not Unusual.no_backprop or config.enable_backprop)):
            if single:
                return _make_variable(outputs[0], device, None, needs_grad),
            return _unrecorded_variables(outputs, device, needs_grad)

        # Record the call in the graph.
        if nodes is None:
            node = x._node
            if node is None:
                node = x._node = VariableNode(None, 0, 0, needs_grad)
            self.inputs = node,
            rank = node._rank
        else:
            if None in nodes:
                _add_missing_nodes(inputs, nodes)
            self.inputs = tuple(nodes)
        self.rank = rank
        rank += 1
        retained_outputs = self._retain_output_indexes
        if single:
            # One output, the usual case: the node and the Variable are built inline.
            node = _new_object(VariableNode)
            node.creator = self
            node.index = 0
            node._rank = rank
            node.grad_var = None
            node._requires_grad = True
            y = _new_object(Variable)
            y._data = outputs[0]
            y._device = device
            y._node = node
            y._requires_grad = True
            y.name = None
            ys = y,
            if retained_outputs is not None:
                self.outputs = weakref.ref(node),
                self._retained_output_data = outputs[0],
        else:
            ys = self._record_outputs(outputs, device, rank)
        retained_inputs = self._retain_input_indexes
        if retained_inputs is not None:
            self._retained_input_data = (
                in_data if retained_inputs == _EVERY_INDEX.get(len(in_data))
                else tuple(map(in_data.__getitem__, retained_inputs)))
        return ys

    def _record_outputs(self, outputs: tuple[Any, ...], device: Any,
                        rank: int) -> tuple[Variable, ...]:
        """The output Variables of a call with several outputs, with their nodes."""
        self._n_outputs = len(outputs)
        ys = tuple([_make_variable(y, device, VariableNode(self, i, rank, True), True)
                    for i, y in enumerate(outputs)])
        self.outputs = tuple([weakref.ref(y._node) for y in ys])
        retained_outputs = self._retain_output_indexes
        if retained_outputs is not None:
            self._retained_output_data = tuple([outputs[i] for i in retained_outputs])
        return ys

    # -- to be implemented by subclasses (forward: see ForwardByBackend) ---------------------
    def backward(self, target_input_indexes: tuple[int, ...],
                 grad_outputs: tuple[Variable | None, ...]) -> tuple[Variable | None, ...]:
        """Gradients of the inputs listed in ``target_input_indexes``.

        Args:
            target_input_indexes: Sorted indexes of the inputs that need a gradient.
            grad_outputs: One Variable (or ``None`` for no gradient) per output.

        Returns:
            One Variable or ``None`` per target index (or per input).
        """
        raise NotImplementedError(f'{self.label} is not differentiable')

    def backward_accumulate(self, target_input_indexes: tuple[int, ...],
                            grad_outputs: tuple[Variable | None, ...],
                            grad_inputs: tuple[Variable | None, ...]
                            ) -> tuple[Variable | None, ...]:
        """Gradients of the targets added to the gradients they already have.

        Override it instead of :meth:`backward` to fuse the computation with
        the accumulation; by default it adds :meth:`backward`'s results.

        Args:
            target_input_indexes: Sorted indexes of the inputs that need a gradient.
            grad_outputs: One Variable (or ``None``) per output.
            grad_inputs: The gradient each target has received so far from
                other paths (``None`` where none; an input passed twice gets it
                at its first position only).

        Returns:
            One Variable or ``None`` per target index.
        """
        gxs = targets_only(self, target_input_indexes,
                           self.backward(target_input_indexes, grad_outputs))
        return tuple([g if gx is None else gx if g is None else gx + g
                      for gx, g in zip(gxs, grad_inputs)])

    def check_type_forward(self, in_types: tuple[TypeInfo, ...]) -> None:
        """Raises :class:`~polychain.utils.type_check.InvalidType` for inputs it cannot take."""

    # -- hooks ----------------------------------------------------------------------------
    @property
    def local_function_hooks(self) -> dict[str, Any]:
        """The hooks attached to this function only (:meth:`add_hook`), by name."""
        return self._local_hooks()

    def _forward_hooked(self, in_data: tuple[Any, ...]) -> tuple[Any, ...]:
        hooks = self._applicable_hooks()
        for hook in hooks:
            hook.forward_preprocess(self, in_data)
        try:
            outputs = self.forward(in_data)
            if any(hook.synchronizes for hook in hooks):
                self.device.backend.synchronize(outputs)
        finally:
            # Also after a failed forward, so that hooks close what their preprocess opened.
            for hook in hooks:
                hook.forward_postprocess(self, in_data)
        return outputs

    def _backward_hooked(self, target_input_indexes: tuple[int, ...],
                         grad_outputs: tuple[Variable | None, ...]) -> tuple[Any, ...]:
        hooks = self._applicable_hooks()
        in_data = [None] * len(self.inputs)
        for i, data in zip(self._retain_input_indexes or (), self._retained_input_data or ()):
            in_data[i] = data
        in_data = tuple(in_data)
        out_grad = tuple([None if g is None else g.array for g in grad_outputs])
        for hook in hooks:
            hook.backward_preprocess(self, in_data, out_grad)
        try:
            grad_inputs = self.backward(target_input_indexes, grad_outputs)
            if any(hook.synchronizes for hook in hooks):
                self.device.backend.synchronize([g.array for g in grad_inputs
                                                 if isinstance(g, Variable)])
        finally:
            for hook in hooks:
                hook.backward_postprocess(self, in_data, out_grad)
        return grad_inputs

    # -- retention ------------------------------------------------------------------------
    def retain_inputs(self, indexes: Sequence[int]) -> None:
        """Keeps the input arrays at ``indexes`` for backward (call it in forward)."""
        self._retain_input_indexes = indexes

    def retain_outputs(self, indexes: Sequence[int]) -> None:
        """Keeps the output arrays at ``indexes`` for backward (call it in forward)."""
        self._retain_output_indexes = indexes

    def get_retained_inputs(self) -> tuple[Variable, ...]:
        """The retained inputs as Variables attached to the graph."""
        if self._retained_input_data is None:
            return ()
        nodes = self.inputs
        device = self.device
        retained = []
        for i, data in zip(self._retain_input_indexes, self._retained_input_data):
            if data is None:
                retained.append(None)  # a None input
                continue
            node = nodes[i]
            retained.append(_make_variable(data, device, node, node._requires_grad))
        return tuple(retained)

    @property
    def output_data(self) -> tuple[Any, ...]:
        """The retained output arrays, in the order given to :meth:`retain_outputs`."""
        return self._retained_output_data or ()

    def get_retained_outputs(self) -> tuple[Variable, ...]:
        """The retained outputs as Variables attached to the graph."""
        if self._retained_output_data is None:
            return ()
        outputs = []
        refs = self.outputs
        for i, data in zip(self._retain_output_indexes, self._retained_output_data):
            if data is None:
                outputs.append(None)  # forward gave None for this output
                continue
            node = refs[i]()
            if node is None:
                # The output variable is gone; an equivalent node (same creator and
                # index) carries gradients to the same place.
                node = VariableNode(self, i, self.rank + 1)
            outputs.append(_make_variable(data, self.device, node, True))
        return tuple(outputs)

    def unchain(self) -> None:
        """Cuts the function out of the graph.

        Its living tracked outputs (see :attr:`outputs`) become leaves, and it drops its
        inputs and retained arrays.
        """
        for ref in self.outputs or ():
            node = ref()
            if node is not None:
                node.unchain()
        self.inputs = None
        self._retained_input_data = self._retained_output_data = None

    # -- checks -------------------------------------------------------------------------
    def _check_types(self, arrays: Sequence[Any]) -> None:
        try:
            check_types(self.check_type_forward, arrays)
        except InvalidType as error:
            error.set_function(self.label)
            raise

    def _explain_failure(self, arrays: Sequence[Any], error: Exception) -> None:
        """Turns a failed forward into an InvalidType when the type check rejects the inputs."""
        if config.type_check and type(self).check_type_forward is not \
                FunctionNode.check_type_forward:
            try:
                self._check_types(arrays)
            except InvalidType as invalid:
                raise invalid from error
        described = ', '.join(f'{tuple(a.shape)} {a.dtype}' if hasattr(a, 'shape') else repr(a)
                              for a in arrays)
        if hasattr(error, 'add_note'):
            error.add_note(f'in {self.label}.forward with inputs: {described}')

    def _check_nan(self, outputs: Sequence[Any]) -> None:
        """Raises if an output holds NaN (debug mode); infinities are legitimate, as in Chainer."""
        xp = self.xp
        for y in outputs:
            if y is not None and xp.isdtype(y.dtype, ('real floating', 'complex floating')) \
                    and bool(xp.any(xp.isnan(y))):
                raise NaNInForward(self.label)


def _on_cupy(arrays: Sequence[Any]) -> bool:
    """Whether the arrays live on a CuPy device (the first array decides: one device only)."""
    for array in arrays:
        if array is None:
            continue
        try:
            return get_device_from_array(array).backend.name == 'cupy'
        except TypeError:
            continue
    return False


def _own_copy(function: Any) -> Any:
    """``function`` with a code object of its own, for one subclass.

    CPython specialises attribute access per code object, for the class it
    sees there. ``apply`` reads and writes a dozen attributes of ``self``; run
    by every function class through one code object, it sees a different class
    on nearly every call and stays unspecialised. A copy per class keeps each
    one seeing a single class, which saves about 5% of an elementwise op.
    """
    copy = types.FunctionType(function.__code__.replace(), function.__globals__,
                              function.__name__, function.__defaults__, function.__closure__)
    return functools.update_wrapper(copy, function)


def _scalars_as_arrays(outputs: tuple[Any, ...], device: Any) -> tuple[Any, ...]:
    """``outputs`` with the scalars a backend returned for 0-d results made arrays."""
    scalar_types = device.scalar_types
    for y in outputs:
        if isinstance(y, scalar_types):
            return tuple([device.namespace.asarray(y) for y in outputs])
    return outputs


def _unrecorded_variables(outputs: tuple[Any, ...], device: Any,
                          requires_grad: bool) -> tuple[Variable, ...]:
    ys = []
    for y in outputs:
        ys.append(_make_variable(y, device, None, requires_grad))
    return tuple(ys)


def _add_missing_nodes(inputs: Sequence[Any], nodes: list[Any]) -> None:
    """Gives the inputs without a node (arrays, fresh Variables) one, in ``nodes``."""
    for i, x in enumerate(inputs):
        if nodes[i] is None:
            if isinstance(x, Variable):
                # The same Variable may appear twice (x * x): one node for both.
                nodes[i] = x.node
            else:
                nodes[i] = VariableNode(None, 0, 0, False)


def _device_of_input(func: FunctionNode, x: Any) -> Any:
    if isinstance(x, (bool, int, float, complex)):
        raise TypeError(f'{func.label}: expected Variables or arrays as inputs, received '
                        f'{type(x).__name__}')
    try:
        return get_device_from_array(x)
    except TypeError as error:
        raise TypeError(f'{func.label}: {error}') from None


def _raise_device_mismatch(func: FunctionNode, inputs: Sequence[Any]) -> None:
    devices = []
    for x in inputs:
        if x is None:
            continue
        device = x._device if isinstance(x, Variable) else get_device_from_array(x)
        devices.append(str(device))
    raise ValueError(f'{func.label}: expected all inputs on one device, received inputs on '
                     f'{", ".join(devices)}; move them with to_device() first')


# Chainer's chainer.function_node.static_forward_optimizations (imported last: the package
# imports polychain.link, which needs this module complete).
from polychain.graph_optimizations.static_graph_utilities import (  # noqa: E402, F401
    static_forward_optimizations,
)
