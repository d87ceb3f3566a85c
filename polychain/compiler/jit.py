"""``polychain.jit``: a define-by-run step compiled into one program on backends that trace.

The function runs with the state of the given links, optimizers and devices
swapped for placeholders of the backend's tracer (``jax.jit``): forward,
backward, optimizer update and hooks become one program, traced once per
signature (shapes and dtypes of the arguments and the state, the
configuration, the hyperparameters) and cached. After each call the new
arrays and counters are stored where they came from. Backends that do not
compile run the function eagerly.
"""

from __future__ import annotations

import traceback
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy

from polychain.backend.device import Device
from polychain.backend.registry import get_device_from_array
from polychain.compiler import tree
from polychain.compiler.context import TraceContext, tracing
from polychain.compiler.state import (
    Creations,
    Slot,
    collect_slots,
    generator_slots,
    links_of,
    state_to_create,
    variable_attributes,
)
from polychain.configuration import config, global_config
from polychain.link import Link
from polychain.optimizer import Optimizer
from polychain.reporter import _reporters
from polychain.variable import Variable

_SCALARS = (int, float)


class CompileError(RuntimeError):
    """Compiled code did something only eager code can do (read an array on the host)."""


class EagerFallbackWarning(UserWarning):
    """A compiled function runs eagerly (the backend does not compile, or debug mode)."""


class CompiledFunction:
    """A function compiled with the state of links, optimizers and devices swapped in.

    Call it as the function. See :func:`jit` for ``function``, ``state`` and
    ``donate``; ``random=False`` leaves the device's random generator out of
    the state (the function is given keys explicitly), and
    ``static_code=False`` skips ``static_code`` functions (a forward pass
    traced again to be differentiated). ``keep_grads=False`` leaves the
    gradients out of the state: the function must compute them itself (an
    ``update`` with a loss function does), they stay on the device only
    inside the program, and the parameters' ``grad`` is ``None`` after each
    call, as after ``cleargrads()``; this saves writing them out every step.

    Attributes:
        trace_count: How many times the function was traced (once per new signature,
            and once for a call that creates state: lazily initialised parameters,
            optimizer state, the device's random generator).
        eager_count: How many calls ran eagerly (backends that do not compile, debug
            mode).
    """

    def __init__(self, function: Callable[..., Any], state: Iterable[Any] = (),
                 donate: bool = True, random: bool = True, static_code: bool = True,
                 keep_grads: bool = True) -> None:
        self.function = function
        self.owners = tuple(state)
        self.donate = donate
        self.keep_grads = keep_grads
        self.random = random
        self.static_code = static_code
        self.trace_count = 0
        self.eager_count = 0
        self._programs: dict[Any, _Program] = {}
        self._warned: set[str] = set()
        #: What the previous call left in the state, for a call that finds it untouched.
        self._last: _LastCall | None = None
        #: State a call that creates state did not create (the step never does): later
        #: calls that find it still missing run the program of their signature as usual.
        self._not_created: str | None = None

    def clear_cache(self) -> None:
        """Forgets every compiled program (the next call traces again)."""
        self._programs.clear()
        self._last = None
        self._not_created = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        last = self._last
        if last is not None:
            leaves = last.arguments(args, kwargs)
            if leaves is not None and last.unchanged():
                return last.program.run(last.slots, last.arrays, last.scalars, leaves,
                                        last.signature, last)
        self._last = None
        arg_leaves: list[Any] = []
        arg_structure = tree.flatten((args, kwargs), arg_leaves)
        creates = state_to_create(self.owners)
        creating = creates is not None and creates != self._not_created
        slots = collect_slots(self.owners, self.keep_grads)
        device = _device_of(self.owners, slots, arg_leaves)
        reason = self._cannot_compile(device)
        if reason is not None:
            self.eager_count += 1
            if device is not None:
                args, kwargs = _host_arrays_sent(device, args, kwargs)
            return self.function(*args, **kwargs)
        if self.random:  # a call that creates state takes a generator it creates as it goes
            slots += [slot for slot in generator_slots([device], created_only=creating)
                      if all(slot.owner is not other.owner for other in slots)]
        values = [slot.get() for slot in slots]
        layout, arrays, scalars = _split(values)
        signature = (arg_structure, _configuration(), _hyperparameters(self.owners))
        if creating:
            program = _Program(self, device, slots, layout, arg_structure, creates_state=True)
            return self._create(program, creates, slots, values, arrays, scalars, arg_leaves,
                                signature, (args, kwargs))
        return self._program(signature, layout, device, slots).run(
            slots, arrays, scalars, arg_leaves, signature, arguments=(args, kwargs))

    def _create(self, program: _Program, creates: str, slots: list[Any], values: list[Any],
                arrays: list[Any], scalars: list[Any], arg_leaves: list[Any], signature: tuple,
                arguments: tuple[tuple, dict]) -> Any:
        """Runs the ``program`` of a call that creates state (``creates`` says what), run
        once: it returns the new arrays with the others. If the call fails (an error, a
        failed check), the state is as it was before it (``values``)."""
        creations = Creations(self.owners, program.device)
        try:
            result = program.run(slots, arrays, scalars, arg_leaves, signature,
                                 arguments=arguments)
        except BaseException:
            creations.undo()
            for slot, value in zip(slots, values):
                slot.set(value)
            raise
        if state_to_create(self.owners) == creates:  # the step leaves it to create
            self._not_created = creates
        return result

    def _reset_grads(self) -> None:
        """Clears the gradients a step leaves (when it keeps none), once per program."""
        for owner in self.owners:
            link = getattr(owner, 'target', owner)
            if isinstance(link, Link):
                link.cleargrads()

    def _program(self, signature: tuple, layout: tuple, device: Device,
                 slots: list[Any]) -> _Program:
        """The program of a signature and state layout (traced on its first call)."""
        key = (signature, layout)
        program = self._programs.get(key)
        if program is None:
            program = self._programs[key] = _Program(self, device, slots, layout, signature[0])
        return program

    def _cannot_compile(self, device: Device | None) -> str | None:
        if device is None:
            return None if self.owners else 'there is no state and no array argument'
        if config.debug:
            return self._warn_once('debug', 'debug mode checks every value on the host')
        if not compiles(device):
            return self._warn_once(device.backend.name,
                                   f'the {device.backend.name} backend does not compile')
        return None

    def _warn_once(self, topic: str, reason: str) -> str:
        if topic not in self._warned:
            self._warned.add(topic)
            warnings.warn(f'{_name(self.function)}: runs eagerly: {reason}',
                          EagerFallbackWarning, stacklevel=4)
        return reason


def jit(function: Callable[..., Any] | None = None, *, state: Iterable[Any] = (),
        donate: bool = True, keep_grads: bool = True) -> Any:
    """Compiles ``function`` with the arrays of ``state`` swapped in (a decorator too).

    Args:
        function: Called with the arguments of each call; it may update the
            state (an optimizer's ``update``) and return arrays, Variables
            and nested tuples, lists and dicts of them.
        state: Links, optimizers and devices whose arrays and counters the
            function reads or writes (an optimizer brings its target link;
            the random generator of the device compiled for is always in).
        donate: Let the program reuse the memory of the state's old arrays.
        keep_grads: Store the parameters' gradients after each call; without,
            they are ``None`` after it (see :class:`CompiledFunction`).

    Returns:
        A :class:`CompiledFunction`.

    Reports made inside the function reach the current reporter after
    each call, and checks of values (labels in range) run after the call:
    a failed check leaves the state as it was and raises. Code that reads
    an array value on the host while traced raises :class:`CompileError`.
    """
    if function is None:
        return lambda f: CompiledFunction(f, state, donate, keep_grads=keep_grads)
    return CompiledFunction(function, state, donate, keep_grads=keep_grads)


class _Program:
    """One traced program: the state layout and outputs recorded when it was traced."""

    def __init__(self, owner: CompiledFunction, device: Device, slots: list[Any],
                 layout: tuple, arg_structure: Any, creates_state: bool = False) -> None:
        self.owner = owner
        #: Whether the traced call creates state: its outputs go to the slots found after
        #: it (:attr:`output_slots`), and it keeps its inputs (a failed call is undone).
        self.creates_state = creates_state
        self.input_slots = slots
        self.output_slots: list[Any] = []
        self.device = device
        self.layout = layout
        self.arg_structure = arg_structure
        self.outputs: Any = None
        #: The type of each number the program returns, and the index of its slot.
        self.scalar_kinds: list[type] = []
        self.scalar_positions: list[int] = []
        self.static_calls: list[Any] = []
        #: Link attributes the traced code set to Variables: each call sets them again.
        self.attribute_slots: list[Any] = []
        #: The program of the state this one leaves (found once, then reused).
        self.successor: _Program | None = None
        donate = owner.donate and not creates_state
        self.compiled = device.backend.compile(self._body(), device, (0,) if donate else ())

    def _body(self) -> Callable[..., Any]:
        slots = self.input_slots

        def body(arrays: tuple, scalars: tuple, arg_leaves: tuple) -> tuple:
            self.owner.trace_count += 1
            saved = [slot.get() for slot in slots]
            links = links_of(self.owner.owners)
            attributes_before = variable_attributes(links)
            set_attributes: list[tuple[Slot, Any]] = []
            try:
                for slot, value in zip(slots, _merge(self.layout, arrays, scalars)):
                    slot.set(value)
                args, kwargs = tree.unflatten(self.arg_structure, list(arg_leaves))[0]
                context = TraceContext(self.device, self.owner.static_code)
                reports: dict[str, Any] = {}
                with tracing(context), _CapturedReports(reports):
                    result = self.owner.function(*args, **kwargs)
                output_slots = self._slots_after(slots)
                new_values = [slot.get() for slot in output_slots]
                covered = {slot.key for slot in output_slots}
                set_attributes = [(slot, value) for key, (slot, value)
                                  in variable_attributes(links).items()
                                  if key not in covered
                                  and attributes_before.get(key, (None, None))[1] is not value]
            finally:
                for slot, value in zip(slots, saved):
                    slot.set(value)
                for slot, _ in set_attributes:  # Variables the traced code stored on links
                    _restore_attribute(slot, attributes_before)
            self.attribute_slots = [slot for slot, _ in set_attributes]
            self.output_slots = output_slots
            return self._outputs(output_slots, new_values, arrays, scalars,
                                 (result, [value for _, value in set_attributes]),
                                 reports, context)
        return body

    def _slots_after(self, slots: list[Any]) -> list[Any]:
        """The slots the traced call leaves: ``slots``, or for a call that creates state,
        those found again after it."""
        if not self.creates_state:
            return slots
        found = collect_slots(self.owner.owners, self.owner.keep_grads)
        if self.owner.random:  # the generator a first random draw created
            found += generator_slots([self.device], created_only=True)
        keys = {slot.key for slot in found}
        return found + [slot for slot in slots if slot.key not in keys]

    def _outputs(self, slots: list[Any], new_values: list[Any], arrays: tuple, scalars: tuple,
                 result: Any, reports: dict[str, Any], context: TraceContext) -> tuple:
        """The program's outputs: new state arrays, one vector of every number the host
        reads after each call (counters, then check flags), results, reports, check details.

        ``slots`` are the slots the call leaves (:meth:`_slots_after`)."""
        if self.creates_state:  # the layout before the call, slot by slot, where there was one
            entries = {slot.key: entry for slot, entry in zip(self.input_slots, self.layout)}
            before = [entries.get(slot.key) for slot in slots]
        else:
            before = list(self.layout)
        if not self.owner.donate and not self.creates_state:  # unchanged state is no output
            new_values = [_UNCHANGED if value is old else value
                          for value, old in zip(new_values, _merge(self.layout, arrays, scalars))]
        new_layout, new_arrays, new_scalars = _split(new_values, before)
        result_leaves: list[Any] = []
        result_structure = tree.flatten(result, result_leaves)
        report_leaves: list[Any] = []
        report_structure = tree.flatten(reports, report_leaves)
        checks = context.checks
        if checks and not self.creates_state:  # a call that creates state is undone instead
            restorable = [slot.name not in _NOT_RESTORED for slot in slots]
            new_arrays, new_scalars = _keep_old_on_failure(
                self.device, checks, self.layout, new_layout, restorable, arrays, scalars,
                new_arrays, new_scalars)
        numbers = _pack(self.device.namespace,
                        list(new_scalars) + [check.failed for check in checks])
        details = tuple(tuple(check.details) for check in checks)
        self.outputs = (new_layout, result_structure, report_structure,
                        [check.explain for check in checks])
        self.scalar_kinds = _scalar_kinds(new_layout)
        self.scalar_positions = [index for index, entry in enumerate(new_layout)
                                 if entry[0] == 'scalar']
        self.static_calls = list(context.static_calls)
        return (tuple(new_arrays), numbers, tuple(result_leaves), tuple(report_leaves),
                details)

    def run(self, slots: list[Any], arrays: Any, scalars: Any, arg_leaves: list[Any],
            signature: tuple, checked: _LastCall | None = None,
            arguments: tuple[tuple, dict] = ((), {})) -> Any:
        """Runs the program on the state's ``arrays`` and ``scalars`` and stores what it
        returns in ``slots``. ``checked`` is the previous call, when this call found its
        state untouched; else ``arguments`` (the call's) are kept for the next call."""
        owner = self.owner
        owner._last = None
        traces = owner.trace_count
        try:
            out = self.compiled(tuple(arrays), tuple(scalars), tuple(arg_leaves))
        except self.device.backend.host_read_errors as error:
            raise CompileError(_host_read_message(self.owner.function, error)) from None
        if self.owner.trace_count == traces:  # not traced now: the static code runs here
            for function, static_args, static_kwargs in self.static_calls:
                function(*static_args, **static_kwargs)
        new_arrays, numbers, result_leaves, report_leaves, details = out
        new_layout, result_structure, report_structure, explainers = self.outputs
        if self.creates_state:
            slots = self.output_slots
        kinds, positions = self.scalar_kinds, self.scalar_positions
        # The arrays are stored while the program may still run; the numbers need it done.
        new_values = _merge(new_layout, new_arrays, [None] * len(kinds))
        for slot, value, entry in zip(slots, new_values, new_layout):
            if value is not _UNCHANGED and entry[0] != 'scalar':
                slot.put(value)
        if report_leaves or report_structure != ('dict', ()):
            reported = tree.unflatten(report_structure, list(report_leaves))[0]
            if _reporters():
                _reporters()[-1].observation.update(reported)
        host_numbers = self.device.backend.to_host(numbers).tolist() if numbers is not None \
            else []
        python_scalars = [kind(value) for kind, value in zip(kinds, host_numbers)]
        for position, value in zip(positions, python_scalars):
            new_values[position] = value
            slots[position].put(value)
        for explain, failed, check_details in zip(explainers, host_numbers[len(kinds):],
                                                  details):
            if failed:
                raise explain(*self.device.backend.to_host_many(check_details))
        result, attributes = tree.unflatten(result_structure, list(result_leaves))[0]
        for slot, value in zip(self.attribute_slots, attributes):
            slot.set(value)
        if not owner.keep_grads and (checked is None or owner.trace_count != traces):
            owner._reset_grads()  # what an eager step or the trace left there
        if owner.donate and not self.attribute_slots:
            if checked is not None and self.successor is not None:
                program = self.successor
            else:
                program = self.successor = owner._program(signature, new_layout, self.device,
                                                          slots)
            if checked is not None:  # the same structure: only the values are new
                checked.advance(program, new_values, new_arrays, python_scalars)
                owner._last = checked
            else:
                owner._last = _LastCall(program, slots, new_values, new_arrays, python_scalars,
                                        signature, *arguments)
        return result


class _LastCall:
    """The state one call left behind: the next call may start from it directly.

    The next call skips finding the state and the signature again when its
    arguments have the same structure, the configuration and every
    optimizer's hooks, switches and hyperparameters are as they were, every
    slot still holds what this call stored, no link gained or lost an
    attribute, and every update rule, its state and every random generator
    is the same object.
    """

    def __init__(self, program: _Program, slots: list[Any], values: list[Any],
                 arrays: Any, scalars: list[Any], signature: tuple, args: tuple,
                 kwargs: dict) -> None:
        self.advance(program, values, arrays, scalars)
        self.slots = slots
        self.signature = signature
        #: Type, shape and dtype of each argument, when the arguments are all arrays.
        self.plain_arguments = None if kwargs or not all(map(tree.is_array, args)) else \
            tuple((type(arg), arg.shape, arg.dtype) for arg in args)
        self.configuration = (dict(vars(global_config)), dict(vars(config)))
        owners = program.owner.owners
        self.sizes = [(link, len(vars(link))) for link in links_of(owners)]
        self.optimizers = [(owner, owner._hooks, dict(owner._hooks.pre),
                            dict(owner._hooks.post), owner._loss_scale,
                            getattr(owner, '_use_cleargrads', True))
                           for owner in owners
                           if isinstance(owner, Optimizer) and owner._hooks is not None]
        self.rules = [(param, rule, rule.state, len(rule.state or ()), rule.enabled,
                       rule.hyperparam, dict(vars(rule.hyperparam)), dict(rule._hooks.pre),
                       dict(rule._hooks.post))
                      for param in _optimized_params(owners)
                      if (rule := param.update_rule) is not None]
        parents = {id(rule.hyperparam.parent): rule.hyperparam.parent
                   for _, rule, *_ in self.rules if rule.hyperparam.parent is not None}
        self.parents = [(parent, dict(vars(parent))) for parent in parents.values()]
        self.generators = [(slot.owner.device, slot.owner) for slot in slots
                           if slot.name == 'state_array']

    def advance(self, program: _Program, values: list[Any], arrays: Any,
                scalars: list[Any]) -> None:
        """Records what a call that found this state untouched left behind."""
        self.program = program
        self.values = values
        self.arrays = arrays
        self.scalars = scalars

    def arguments(self, args: tuple, kwargs: dict) -> list[Any] | None:
        """The array leaves of the arguments, or ``None`` when their structure changed."""
        plain = self.plain_arguments
        if plain is not None and not kwargs and len(args) == len(plain):
            for arg, (kind, shape, dtype) in zip(args, plain):
                if type(arg) is not kind or arg.shape != shape or arg.dtype != dtype:
                    break
            else:
                return list(args)
        leaves: list[Any] = []
        if tree.flatten((args, kwargs), leaves) != self.signature[0]:
            return None
        return leaves

    def unchanged(self) -> bool:
        """Whether the configuration, the optimizers and the state are as this call left
        them."""
        global_entries, local_entries = self.configuration
        if vars(config) != local_entries or vars(global_config) != global_entries:
            return False
        for owner, hooks, pre, post, loss_scale, use_cleargrads in self.optimizers:
            if owner._hooks is not hooks or hooks.pre != pre or hooks.post != post or \
                    owner._loss_scale != loss_scale or \
                    getattr(owner, '_use_cleargrads', True) != use_cleargrads:
                return False
        for param, rule, state, size, enabled, own, entries, pre, post in self.rules:
            if param.update_rule is not rule or rule.state is not state or \
                    len(state or ()) != size or rule.enabled != enabled or \
                    rule.hyperparam is not own or vars(own) != entries or \
                    rule._hooks.pre != pre or rule._hooks.post != post:
                return False
        for parent, entries in self.parents:
            if vars(parent) != entries:
                return False
        for slot, value in zip(self.slots, self.values):
            if slot.get() is not value:
                return False
        for link, size in self.sizes:
            if len(vars(link)) != size:
                return False
        return all(device._generator is generator for device, generator in self.generators)


def _optimized_params(owners: tuple) -> list[Any]:
    return [param for owner in owners if isinstance(owner, Optimizer)
            for param in owner.target.params()]


def _pack(xp: Any, numbers: list[Any]) -> Any:
    """One float64 vector of Python numbers and 0-d arrays (``None`` when there are none)."""
    if not numbers:
        return None
    return xp.stack([xp.astype(xp.asarray(number), xp.float64) for number in numbers])


def _restore_attribute(slot: Any, before: dict) -> None:
    """Puts back the Variable an attribute held before tracing (or removes a new one)."""
    previous = before.get(slot.key)
    if previous is None:
        delattr(slot.owner, slot.name)
    else:
        slot.set(previous[1])


class _Unchanged:
    """Marks a slot that the compiled function did not change."""

    def __repr__(self) -> str:
        return 'unchanged'


_UNCHANGED = _Unchanged()


def _split(values: list[Any], before: Any = None) -> tuple[tuple, list[Any], list[Any]]:
    """The layout of slot values (hashable), their distinct arrays and their numbers.

    With ``before`` (the layout entry of each slot before the call, ``None``
    for a slot the call created), a slot that held a Python number holds one
    again, even if the traced code turned it into an array.
    """
    layout = []
    arrays: list[Any] = []
    scalars: list[Any] = []
    positions: dict[int, int] = {}
    for index, value in enumerate(values):
        number_before = before is not None and before[index] is not None and \
            before[index][0] == 'scalar'
        if value is _UNCHANGED:
            layout.append(('static', value))
        elif number_before and value is not None:
            layout.append(before[index])
            scalars.append(value)
        elif value is None or isinstance(value, bool):
            layout.append(('static', tree.freeze(value)))
        elif isinstance(value, Variable):  # a Variable attribute of a link: its array
            layout.append(('variable', len(arrays), value.shape, value.dtype,
                           value.requires_grad))
            arrays.append(value.array)
        elif isinstance(value, _SCALARS):
            layout.append(('scalar', type(value)))
            scalars.append(value)
        elif tree.is_array(value):
            position = positions.get(id(value))
            if position is None:
                position = positions[id(value)] = len(arrays)
                arrays.append(value)
            layout.append(('array', position, value.shape, value.dtype))
        else:
            layout.append(('static', tree.freeze(value)))
    return tuple(layout), arrays, scalars


def _merge(layout: tuple, arrays: Any, scalars: Any) -> list[Any]:
    """The slot values of ``layout`` from its arrays and numbers."""
    values = []
    numbers = iter(scalars)
    for entry in layout:
        kind = entry[0]
        if kind == 'array':
            values.append(arrays[entry[1]])
        elif kind == 'variable':
            values.append(Variable(arrays[entry[1]], requires_grad=entry[4]))
        elif kind == 'scalar':
            values.append(next(numbers))
        elif entry[1] is _UNCHANGED:
            values.append(_UNCHANGED)
        else:
            values.append(tree.thaw(entry[1]))
    return values


def _scalar_kinds(layout: tuple) -> list[type]:
    return [entry[1] for entry in layout if entry[0] == 'scalar']


#: Slots a failed check does not restore: gradients, which every step computes afresh.
_NOT_RESTORED = frozenset({'grad'})


def _keep_old_on_failure(device: Device, checks: list[Any], old_layout: tuple,
                         new_layout: tuple, restorable: list[bool], arrays: tuple,
                         scalars: tuple, new_arrays: list[Any], new_scalars: list[Any]) -> tuple:
    """New state where every deferred check passed, else the old state, selected on device
    (for the slots that are ``restorable``)."""
    xp = device.namespace
    failed = checks[0].failed
    for check in checks[1:]:
        failed = failed | check.failed
    kept_arrays = list(new_arrays)
    kept_scalars = list(new_scalars)
    old_by_slot, new_by_slot = _positions(old_layout), _positions(new_layout)
    for index, (old_entry, new_entry) in enumerate(zip(old_layout, new_layout)):
        if not restorable[index]:
            continue
        if old_entry[0] == new_entry[0] == 'array' and old_entry[2:] == new_entry[2:]:
            new_position = new_entry[1]
            kept_arrays[new_position] = xp.where(failed, arrays[old_entry[1]],
                                                 new_arrays[new_position])
        elif old_entry[0] == new_entry[0] == 'scalar':
            old_position, new_position = old_by_slot[index], new_by_slot[index]
            kept_scalars[new_position] = xp.where(failed, scalars[old_position],
                                                  new_scalars[new_position])
    return kept_arrays, kept_scalars


def _positions(layout: tuple) -> dict[int, int]:
    """Slot index -> position among the numbers of ``layout``."""
    positions = {}
    for index, entry in enumerate(layout):
        if entry[0] == 'scalar':
            positions[index] = len(positions)
    return positions


class _CapturedReports:
    """Sends the current reporter's reports into ``reports`` for the block, if one is in use."""

    def __init__(self, reports: dict[str, Any]) -> None:
        self.reports = reports
        self.reporter: Any = None
        self.previous: Any = None

    def __enter__(self) -> None:
        stack = _reporters()
        if stack:
            self.reporter = stack[-1]
            self.previous = self.reporter.observation
            self.reporter.observation = self.reports

    def __exit__(self, *exc_info: Any) -> None:
        if self.reporter is not None:
            self.reporter.observation = self.previous


def _host_arrays_sent(device: Device, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """The arguments with those that are NumPy arrays sent to ``device`` (a compiled program
    takes them as they are: the backend moves them with the call)."""
    def sent(value: Any) -> Any:
        return device.send(value) if isinstance(value, numpy.ndarray) else value
    return tuple(map(sent, args)), {name: sent(value) for name, value in kwargs.items()}


def _device_of(owners: tuple, slots: list[Any], arg_leaves: list[Any]) -> Device | None:
    """The device of the state's arrays, else of its links (parameters not initialised
    yet), else of the arguments; one device only."""
    for slot in slots:
        value = slot.get()
        if tree.is_array(value):
            return get_device_from_array(value)
    links = links_of(owners)
    if links:
        return links[0].device
    for leaf in arg_leaves:
        try:
            return get_device_from_array(leaf)
        except TypeError:
            continue
    return None


#: Configuration entries that do not change what is traced (static_graph's schedule object).
_NOT_TRACED_CONFIG = ('_global', 'schedule_func')


def _configuration() -> tuple:
    entries = {**vars(global_config), **vars(config)}
    for bookkeeping in _NOT_TRACED_CONFIG:
        entries.pop(bookkeeping, None)
    return tuple(sorted((name, tree.freeze(value)) for name, value in entries.items()))


def _hyperparameters(owners: tuple) -> tuple:
    """The hyperparameters, hooks and switches of the optimizers among ``owners``.

    Rules usually take every entry from their optimizer's hyperparameter: its
    entries are read once, and a rule adds only the entries it sets itself.
    """
    entries: list[Any] = []
    for owner in owners:
        if not isinstance(owner, Optimizer):
            continue
        hooks = owner._hooks
        shared = getattr(owner, 'hyperparam', None)
        entries.append((id(owner), tuple(hooks.pre), tuple(hooks.post), owner._loss_scale,
                        getattr(owner, '_use_cleargrads', True),
                        None if shared is None else _entries(shared.get_dict())))
        for param in owner.target.params():
            rule = param.update_rule
            if rule is None:
                continue
            own = rule.hyperparam
            values = vars(own) if own.parent is shared else own.get_dict()
            entries.append((rule.enabled, _entries(values) if len(values) > 1 else (),
                            tuple(rule._hooks.pre) if rule._hooks.pre else (),
                            tuple(rule._hooks.post) if rule._hooks.post else ()))
    return tuple(entries)


def _entries(values: dict[str, Any]) -> tuple:
    return tuple(sorted((name, tree.freeze(value)) for name, value in values.items()
                        if name != '_parent'))


def _host_read_message(function: Callable[..., Any], error: BaseException) -> str:
    culprit = _culprit(error.__traceback__)
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ''
    return (f'{_name(function)}: {culprit} reads an array value on the host while the step '
            f'is compiled ({type(error).__name__}: {first_line}). Compiled code cannot look '
            f'at values: move that code into a @static_code function or out of the compiled '
            f'step, or run it eagerly.')


def _culprit(tb: Any) -> str:
    """The innermost link, function node, optimizer part or user function in a traceback."""
    from polychain.function_node import FunctionNode
    from polychain.link import Link
    for frame, line in reversed(list(traceback.walk_tb(tb))):
        module = frame.f_globals.get('__name__', '')
        if module.startswith(_PLUMBING):
            continue
        owner = frame.f_locals.get('self')
        if isinstance(owner, Link):
            return f'link {type(owner).__name__} (in {frame.f_code.co_name})'
        if isinstance(owner, FunctionNode):
            return f'function {owner.label}'
        if type(owner).__module__.startswith('polychain.'):
            return f'{type(owner).__name__}.{frame.f_code.co_name}'
        if not module.startswith('polychain'):
            return f'{frame.f_code.co_name} ({frame.f_code.co_filename}:{line})'
    return 'the compiled function'


#: Modules whose frames never name the culprit: array libraries and polychain's own plumbing.
_PLUMBING = ('jax', 'numpy', 'polychain.compiler', 'polychain.backend', 'polychain.variable',
             'polychain_jax')


def _name(function: Any) -> str:
    return getattr(function, '__qualname__', None) or type(function).__name__


_COMPILES: dict[Any, bool] = {}


def compiles(device: Device) -> bool:
    """Whether the backend of ``device`` compiles (asked once per backend)."""
    backend = device.backend
    known = _COMPILES.get(backend)
    if known is None:
        known = _COMPILES[backend] = backend.compile(_nothing, device) is not None
    return known


def _nothing() -> None:
    return None


__all__ = ['CompileError', 'CompiledFunction', 'EagerFallbackWarning', 'compiles', 'jit']
