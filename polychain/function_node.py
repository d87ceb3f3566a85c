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
from polychain.utils.scoped_hooks import HookRegistry, HookTarget
from polychain.utils.type_check import InvalidType, TypeInfo, check_types
from polychain.variable import Variable, VariableNode

#: The values of ``FunctionNode._type_check``, the one attribute that says when
#: :meth:`FunctionNode.apply` runs a function's ``check_type_forward``: before every forward
#: (Chainer's behaviour), only to explain a forward that failed (for a function that sets
#: ``check_type_on_failure``), or never (the function has no check).
CHECK_BEFORE_FORWARD = 'before forward'
CHECK_ON_FAILURE = 'on failure'
NO_CHECK = 'no check'

#: The function hooks of ``with`` blocks, per thread (``polychain.get_function_hooks()``);
#: their number is counted in ``FunctionNode._hooked``. FunctionHook registers there.
function_hook_registry = HookRegistry(lambda: FunctionNode)


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
    _hook_registry = function_hook_registry
    #: When ``check_type_forward`` runs (one of ``CHECK_BEFORE_FORWARD``,
    #: ``CHECK_ON_FAILURE``, ``NO_CHECK``). A bare ``FunctionNode()`` (configured attribute
    #: by attribute, as Chainer's tests do) always runs it; ``__init_subclass__`` decides
    #: for a subclass.
    _type_check = CHECK_BEFORE_FORWARD

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.check_type_forward is FunctionNode.check_type_forward:
            cls._type_check = NO_CHECK
        else:
            cls._type_check = CHECK_ON_FAILURE if cls.check_type_on_failure \
                else CHECK_BEFORE_FORWARD
        cls._accumulates = cls.backward_accumulate is not FunctionNode.backward_accumulate
        _copy_hot_methods(cls)

    @property
    def label(self) -> str:
        """The name used in error messages and graph dumps (the class name by default)."""
        return type(self).__name__

    @property
    def _impl_name(self) -> str:
        """The name of the implementing class (what TimerHook reports)."""
        return type(self).__name__

    # -- the user-facing call: gather inputs, type check, forward, record outputs ----------
    def apply(self, inputs: Sequence[Any]) -> tuple[Variable, ...]:
        """Runs the function on Variables or arrays and returns the output Variables.

        Raises:
            ValueError: The inputs live on different devices.
            InvalidType: ``check_type_forward`` rejected the inputs.
        """
        # Step 1, gather the inputs: their arrays and device, and whether one needs a
        # gradient. A call on one Variable, or on two Variables of one device, the usual
        # calls, is gathered inline; the record step reads their nodes.
        if len(inputs) == 1 and isinstance(inputs[0], Variable):
            x = inputs[0]
            device = x._device
            in_data = x._data,
            needs_grad = x._requires_grad
            nodes = None
        elif (len(inputs) == 2 and isinstance(inputs[0], Variable)
              and isinstance(inputs[1], Variable) and inputs[0]._device is inputs[1]._device):
            x, y = inputs
            device = x._device
            in_data = x._data, y._data
            needs_grad = x._requires_grad or y._requires_grad
            nodes = None
        else:
            device, in_data, nodes, needs_grad = _gather_inputs(self, inputs)
        self.device = device
        self.xp = device.namespace
        # Step 2: the type check (see CHECK_BEFORE_FORWARD).
        if self._type_check is CHECK_BEFORE_FORWARD and \
                (not Unusual.no_type_check or config.type_check):
            self._check_types(in_data)
        # Step 3: forward, with the hooks; 0-d results a backend gives as scalars become arrays.
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
        scalar_types = device.scalar_types
        if scalar_types:
            if len(outputs) != 1:
                outputs = _scalars_as_arrays(outputs, device)
            elif isinstance(outputs[0], scalar_types):
                outputs = device.namespace.asarray(outputs[0]),
        if Unusual.debug and config.debug:
            self._debug_forward(outputs)
        # Step 4: the output Variables, recorded in the graph when a gradient may flow back.
        records_graph = needs_grad and (not Unusual.no_backprop or config.enable_backprop)
        if records_graph:
            return self._record_call(inputs, nodes, in_data, outputs)
        if len(outputs) == 1:
            return _make_variable(outputs[0], device, None, needs_grad),
        return _unrecorded_variables(outputs, device, needs_grad)

    def _record_call(self, inputs: Sequence[Any], nodes: list[Any] | None,
                     in_data: tuple[Any, ...], outputs: tuple[Any, ...]
                     ) -> tuple[Variable, ...]:
        """Step 4 of :meth:`apply` when a gradient may flow back: the output Variables,
        their nodes created by this call, and the arrays that backward keeps.

        ``nodes`` holds the inputs' nodes as :func:`_gather_inputs` found them, or is
        ``None`` for a call on one or two Variables, whose nodes are read here.
        """
        # The input nodes (a Variable without one gets one) and the highest rank among them.
        if nodes is not None:
            self.inputs, rank = _complete_nodes(inputs, nodes)
        elif len(inputs) == 1:
            node = inputs[0]._node
            if node is None:
                node = inputs[0].node
            self.inputs = node,
            rank = node._rank
        else:
            x, y = inputs
            node = x._node
            if node is None:
                node = x.node
            other = y._node
            if other is None:
                other = y.node  # the node just given to x when y is x
            self.inputs = node, other
            rank = node._rank
            if other._rank > rank:
                rank = other._rank
        self.rank = rank
        rank += 1
        if len(outputs) == 1:
            # One output, the usual case: the node and the Variable are built inline.
            node = _new_object(VariableNode)
            node.creator = self
            node.index = 0
            node._rank = rank
            node.grad_var = None
            node._requires_grad = True
            out = _new_object(Variable)
            out._data = outputs[0]
            out._device = self.device
            out._node = node
            out._requires_grad = True
            out.name = None
            ys = out,
            if self._retain_output_indexes is not None:
                self.outputs = weakref.ref(node),
                self._retained_output_data = outputs[0],
        else:
            ys = self._record_outputs(outputs, rank)
        retained_inputs = self._retain_input_indexes
        if retained_inputs is not None:
            self._retained_input_data = (
                in_data if retained_inputs == _EVERY_INDEX.get(len(in_data))
                else tuple(map(in_data.__getitem__, retained_inputs)))
        return ys

    def _record_outputs(self, outputs: tuple[Any, ...], rank: int) -> tuple[Variable, ...]:
        """The output Variables of a call with several outputs, with their nodes."""
        self._n_outputs = len(outputs)
        device = self.device
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
        """Turns a failed forward into an InvalidType when the type check rejects the inputs.

        Only for a function that checks on failure: any other check ran before forward.
        """
        if self._type_check is CHECK_ON_FAILURE and config.type_check:
            try:
                self._check_types(arrays)
            except InvalidType as invalid:
                raise invalid from error
        described = ', '.join(f'{tuple(a.shape)} {a.dtype}' if hasattr(a, 'shape') else repr(a)
                              for a in arrays)
        if hasattr(error, 'add_note'):
            error.add_note(f'in {self.label}.forward with inputs: {described}')

    def _debug_forward(self, outputs: Sequence[Any]) -> None:
        """Debug mode's step of :meth:`apply`: records where the call was made, checks for NaN."""
        self.stack = traceback.extract_stack()[:-2]  # up to apply's caller
        self._check_nan(outputs)

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


def _scalars_as_arrays(outputs: tuple[Any, ...], device: Any) -> tuple[Any, ...]:
    """``outputs`` with the scalars a backend returned for 0-d results made arrays."""
    scalar_types = device.scalar_types
    for y in outputs:
        if isinstance(y, scalar_types):
            return tuple([device.namespace.asarray(y) for y in outputs])
    return outputs


def _gather_inputs(func: FunctionNode, inputs: Sequence[Any]
                   ) -> tuple[Any, tuple[Any, ...], list[Any], bool]:
    """Step 1 of :meth:`FunctionNode.apply` for any inputs: Variables, arrays and ``None``.

    Returns the device, the input arrays, the input nodes (``None`` for an input without
    one) and whether an input needs a gradient.
    """
    arrays = []
    nodes = []
    device = None
    needs_grad = False
    for x in inputs:
        if isinstance(x, Variable):
            arrays.append(x._data)
            x_device = x._device
            if x._requires_grad:
                needs_grad = True
            nodes.append(x._node)
        else:
            arrays.append(x)
            nodes.append(None)
            if x is None:
                continue  # an absent optional input (Chainer allows None)
            x_device = _device_of_input(func, x)
        if x_device is not device:
            if device is None:
                device = x_device
            else:
                _raise_device_mismatch(func, inputs)
    if device is None:
        raise ValueError(f'{func.label}: expected at least one input with an array, '
                         f'received {len(inputs)} uninitialised or no inputs')
    return device, tuple(arrays), nodes, needs_grad


def _unrecorded_variables(outputs: tuple[Any, ...], device: Any,
                          requires_grad: bool) -> tuple[Variable, ...]:
    ys = []
    for y in outputs:
        ys.append(_make_variable(y, device, None, requires_grad))
    return tuple(ys)


def _complete_nodes(inputs: Sequence[Any], nodes: list[Any]
                    ) -> tuple[tuple[VariableNode, ...], int]:
    """The nodes of ``inputs``, where an input without one (an array, a Variable made
    without the graph) gets one, and the highest rank among them."""
    rank = 0
    for i, x in enumerate(inputs):
        node = nodes[i]
        if node is None:
            if isinstance(x, Variable):
                # The same Variable may appear twice (x * x): one node for both.
                node = nodes[i] = x.node
            else:
                node = nodes[i] = VariableNode(None, 0, 0, False)
        elif node._rank > rank:
            rank = node._rank
    return tuple(nodes), rank


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


# -- speed devices ---------------------------------------------------------------------------
# apply runs once per operation: its overhead is the per-op overhead that
# benchmarks/bench_per_op.py measures. What keeps it low, all measured on CPython 3.11:
# - Each FunctionNode subclass runs its own copy of the code of apply and of its record
#   step (_copy_hot_methods). CPython specialises attribute access per code object, for
#   the class it sees there; shared by every function class, the code sees a different
#   class on nearly every call and stays unspecialised. A copy per class saves about 5% of
#   an elementwise op.
# - Steps 2 and 3 stay in apply's body: a method call costs about 5% of a small op. The
#   record step is a method of its own, which runs only when a graph is recorded, and
#   reads the nodes of one or two Variables itself, so that the gathering step does no
#   graph work for a call that records none.
# - The calls on one Variable and on two Variables of one device are gathered without
#   loops, and a single output's node and Variable are built inline with object.__new__
#   (_new_object) and plain attribute stores; Variable._wrap is bound once (_make_variable).
# - Rare paths (several outputs, other inputs, debug mode) live in helpers: on Python 3.11
#   a comprehension that reads local variables makes them cells, which slows every access
#   to them (``self`` included) even when it never runs.
# - The thread-local configuration is read only when ``Unusual`` says that some thread may
#   have changed the entry from its usual value.
# - A function that retains every input keeps the input tuple itself (_EVERY_INDEX).

_make_variable = Variable._wrap
_new_object = object.__new__
#: ``(0, ..., n - 1)`` by ``n``.
_EVERY_INDEX = {n: tuple(range(n)) for n in range(1, 8)}
#: The methods of FunctionNode that every subclass gets its own copy of.
_HOT_METHODS = ('apply', '_record_call')


def _copy_hot_methods(cls: type[FunctionNode]) -> None:
    """Gives ``cls`` its own copy of each hot method it inherits from FunctionNode unchanged."""
    for name in _HOT_METHODS:
        original = getattr(FunctionNode, name)
        inherited = getattr(cls, name)
        if name not in cls.__dict__ and \
                getattr(inherited, '__wrapped__', inherited) is original:
            setattr(cls, name, _own_copy(original))


def _own_copy(function: Any) -> Any:
    """``function`` with a code object of its own (and the same name, documentation and
    signature)."""
    copy = types.FunctionType(function.__code__.replace(), function.__globals__,
                              function.__name__, function.__defaults__, function.__closure__)
    return functools.update_wrapper(copy, function)


def static_forward_optimizations(func: Any, inputs: Sequence[Any]) -> tuple[Any, ...]:
    """Runs ``func.forward(inputs)`` as a step of the current static schedule.

    Chainer's ``FunctionNode.apply`` calls it in place of ``forward`` inside a
    static chain. polychain's ``apply`` does not (static chains run eagerly and
    this keeps the per-call path short); called directly it records the
    function's label in the current schedule, if any, and returns the outputs of
    ``func.forward``.

    Args:
        func (~polychain.FunctionNode): The function to run.
        inputs (tuple of arrays): Its input arrays.

    Returns:
        tuple of arrays: The outputs of ``func.forward``.
    """
    schedule = config.schedule_func
    if schedule is not None:
        schedule.append_function(func.label)
    return func.forward(tuple(inputs))
