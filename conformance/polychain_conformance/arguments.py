"""Turning a case into values: host draws shared by all devices, then arguments on one device."""

from __future__ import annotations

import contextlib
import warnings
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy

import polychain.functions
from polychain import Variable
from polychain.backend import Device
from polychain_conformance.spec import (
    OPERATORS,
    Arg,
    ArrayConstant,
    Case,
    DeviceUnderTest,
    Input,
    SameAs,
    Variant,
)


def as_tuple(value: Any) -> tuple[Any, ...]:
    """``value`` as a flat tuple: nested tuples and lists (``(hy, cy, ys)``) are flattened."""
    if not isinstance(value, (tuple, list)):
        return (value,)
    return tuple(item for entry in value for item in as_tuple(entry))


def cell_seed(base_seed: int, case: Case, dtype: str) -> int:
    """The seed of one case and dtype, independent of the device and the layout."""
    sequence = numpy.random.SeedSequence(
        [base_seed, zlib.crc32(case.name.encode()), zlib.crc32(dtype.encode())])
    return int(sequence.generate_state(1)[0])


def resolve_function(name: str) -> Callable[..., Any]:
    """The callable a case names: a Variable operator or ``polychain.functions.<name>``.

    It is looked up on every call, so that patched functions are the ones tested.
    """
    if name in OPERATORS:
        return OPERATORS[name]
    function = getattr(polychain.functions, name, None)
    if function is None:
        raise ValueError(f'resolve_function: expected an operator among {sorted(OPERATORS)} or '
                         f'a name in polychain.functions, received {name!r}')
    return function


@contextlib.contextmanager
def _silenced(category: type[Warning] | None) -> Iterator[None]:
    """Runs the body with warnings of ``category`` ignored (none when ``None``)."""
    if category is None:
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', category)
        yield


@dataclass
class Draw:
    """The host values of one case and dtype, shared by every device.

    Attributes:
        values: Per argument of the case, the drawn array (in ``dtype``) or ``None``.
        expected: The reference outputs, in float64.
        grad_outputs: One random output gradient per output, in ``dtype``.
        grad_grad_inputs: One random gradient per differentiable input (for
            second-order checks), in ``dtype``.
        seed: The seed everything was drawn from; also the gradient checks' seed.
    """

    values: list[numpy.ndarray | None]
    expected: tuple[numpy.ndarray, ...]
    grad_outputs: tuple[numpy.ndarray, ...]
    grad_grad_inputs: tuple[numpy.ndarray, ...]
    seed: int


def draw(case: Case, dtype: str, base_seed: int) -> Draw:
    """Draws the inputs of ``case`` and computes its float64 reference outputs."""
    seed = cell_seed(base_seed, case, dtype)
    rng = numpy.random.default_rng(seed)
    values = [spec.draw(rng).astype(dtype) if isinstance(spec, Input) else None
              for spec in case.args]
    positional, keywords = _reference_arguments(case, values)
    expected = tuple(numpy.asarray(y, dtype=numpy.float64)
                     for y in as_tuple(case.reference(*positional, **keywords)))
    output_dtypes = case.output_dtypes or (dtype,) * len(expected)
    grad_outputs = tuple(rng.normal(size=y.shape).astype(y_dtype)
                         for y, y_dtype in zip(expected, output_dtypes))
    grad_grad_inputs = tuple(rng.normal(size=spec.shape).astype(dtype)
                             for spec in case.args if _is_differentiable(spec))
    return Draw(values, expected, grad_outputs, grad_grad_inputs, seed)


def _is_differentiable(spec: Any) -> bool:
    return isinstance(spec, Input) and spec.is_variable and spec.differentiable


def _reference_arguments(case: Case, values: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    resolved = []
    for spec, value in zip(case.args, values):
        if isinstance(spec, Input):
            resolved.append(value.astype(numpy.float64))
        elif isinstance(spec, SameAs):
            resolved.append(resolved[spec.index])
        else:
            resolved.append(_with_arrays(spec.value if isinstance(spec, Arg) else spec,
                                         ArrayConstant.host))
    positional, keywords = _split_keywords(case, resolved)
    keywords.update({k: _with_arrays(v, ArrayConstant.host) for k, v in case.kwargs.items()})
    return positional, keywords


def _split_keywords(case: Case, resolved: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    positional, keywords = [], {}
    for spec, value in zip(case.args, resolved):
        keyword = getattr(spec, 'keyword', None)
        if keyword is None:
            positional.append(value)
        else:
            keywords[keyword] = value
    if case.pack_leading:
        positional = [positional[:case.pack_leading]] + positional[case.pack_leading:]
    if case.arrange is not None:
        positional = list(case.arrange(positional))
    return positional, keywords


def _with_arrays(value: Any, make_array: Callable[[ArrayConstant], Any]) -> Any:
    """``value`` with every :class:`ArrayConstant` inside tuples and lists made an array."""
    if isinstance(value, ArrayConstant):
        return make_array(value)
    if isinstance(value, (tuple, list)):
        return type(value)(_with_arrays(v, make_array) for v in value)
    return value


def _in_dtype_of(array: Any, like: Variable, device: Device) -> Any:
    """``array`` cast to the dtype of ``like``.

    Raw operands follow the Variables' dtype, which gradient checks raise to
    float64 for their numerical passes.
    """
    return array if array.dtype == like.dtype else device.namespace.astype(array, like.dtype)


def send(device: Device, host: numpy.ndarray, layout: str) -> Any:
    """``host`` on ``device``; in the strided layout, as every other element of a wider array."""
    if layout == 'contiguous' or host.ndim == 0:
        return device.send(host)
    padded = numpy.zeros(host.shape[:-1] + (2 * host.shape[-1],), dtype=host.dtype)
    padded[..., ::2] = host
    return device.send(padded)[..., ::2]


@dataclass
class Arguments:
    """The arguments of one cell on one device.

    Attributes:
        arrays: The arrays that reach the function as Variables, in order.
        no_grads: Per entry of ``arrays``, whether its gradient is not checked.
        call: Calls the function with one Variable per entry of ``arrays``
            (the other arguments are fixed) and returns its outputs as a tuple.
        grad_outputs: The output gradients on the device.
        grad_grad_inputs: The second-order gradients on the device.
        watched: ``(what, array, values)`` of every array given to the function,
            with the values it must still hold afterwards.
    """

    arrays: list[Any]
    no_grads: list[bool]
    call: Callable[..., tuple[Variable, ...]]
    grad_outputs: list[Any]
    grad_grad_inputs: list[Any]
    watched: list[tuple[str, Any, numpy.ndarray]] = field(default_factory=list)


def place(variant: Variant, drawn: Draw, device: Device) -> Arguments:
    """Sends the drawn values of ``variant`` to ``device`` and binds the call."""
    case = variant.case
    watched: list[tuple[str, Any, numpy.ndarray]] = []

    def on_device(constant: ArrayConstant) -> Any:
        host = constant.host()
        array = device.send(host.copy())
        watched.append(('an index array', array, host))
        return array

    arrays, no_grads, fixed, slots = [], [], {}, {}
    for i, (spec, value) in enumerate(zip(case.args, drawn.values)):
        if isinstance(spec, Input):
            array = send(device, value.copy(), variant.layout)
            watched.append((f'input {i}', array, value))
            if spec.raw:
                fixed[i] = array
            else:
                slots[i] = len(arrays)
                arrays.append(array)
                no_grads.append(not spec.differentiable)
        elif isinstance(spec, Arg):
            fixed[i] = _with_arrays(spec.value, on_device)
        elif isinstance(spec, DeviceUnderTest):
            fixed[i] = device
        elif not isinstance(spec, SameAs):
            fixed[i] = _with_arrays(spec, on_device)
    kwargs = {k: _with_arrays(v, on_device) for k, v in case.kwargs.items()}

    def call(*variables: Variable) -> tuple[Variable, ...]:
        resolved = []
        for i, spec in enumerate(case.args):
            if i in slots:
                resolved.append(variables[slots[i]])
            elif isinstance(spec, SameAs):
                resolved.append(resolved[spec.index])
            elif isinstance(spec, Input) and variables:
                resolved.append(_in_dtype_of(fixed[i], variables[0], device))
            else:
                resolved.append(fixed[i])
        positional, keywords = _split_keywords(case, resolved)
        with _silenced(case.warns):
            result = resolve_function(case.function)(*positional, **keywords, **kwargs)
        return as_tuple(result if case.outputs is None else case.outputs(result))

    grad_outputs = [device.send(g.copy()) for g in drawn.grad_outputs]
    grad_grad_inputs = [device.send(g.copy()) for g in drawn.grad_grad_inputs]
    for what, hosts, sent in (('an output gradient', drawn.grad_outputs, grad_outputs),
                              ('a second-order gradient', drawn.grad_grad_inputs,
                               grad_grad_inputs)):
        watched.extend((what, array, host) for array, host in zip(sent, hosts))
    return Arguments(arrays, no_grads, call, grad_outputs, grad_grad_inputs, watched)
