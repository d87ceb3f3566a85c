"""The registry of bad inputs: named calls that must raise, each run on every device.

A case is a function of the device and the dtype that feeds one bad input
(an out-of-range label, a truncated file, ...) to polychain. It passes when
it raises one of the exception types it declares, and fails when it returns
(the input passed silently) or raises anything else. Register one with
:func:`bad_input`::

    @bad_input('load_npz[truncated]', 'serializers.load_npz', raises=ValueError,
               kind='truncated file')
    def _(device, dtype):
        model = make_model(device, dtype)
        with unchanged(model):  # a failed load must leave the target as it was
            polychain.serializers.load_npz(truncated_file(), model)
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy

from polychain.backend import Device, to_host
from polychain.link import Link
from polychain_conformance.spec import DTYPES

#: ``case(device, dtype)``: feeds the bad input; it must raise.
BadCall = Callable[[Device, str], object]


@dataclass(frozen=True)
class BadInput:
    """One bad input and what polychain must raise for it.

    Attributes:
        name: Unique case name, ``function[what is wrong]``.
        label: What reports show in the function column (``F.embed_id``).
        call: Feeds the bad input on a device, in a dtype.
        raises: The exception types that count as a clear error.
        kind: The kind of bad input, for grouping (``'out-of-range ids'``).
        dtypes: The dtypes it runs in.
    """

    name: str
    label: str
    call: BadCall
    raises: tuple[type[BaseException], ...]
    kind: str
    dtypes: tuple[str, ...] = ('float32',)


#: Every registered case, in registration order.
BAD_INPUTS: list[BadInput] = []


def bad_input(name: str, label: str, raises: type[BaseException] | tuple[type[BaseException], ...],
              kind: str, dtypes: tuple[str, ...] = ('float32',)) -> Callable[[BadCall], BadCall]:
    """A decorator that registers ``call`` as the bad-input case ``name`` (see the module)."""
    unknown = set(dtypes) - set(DTYPES)
    if unknown:
        raise ValueError(f'bad_input {name}: unknown dtypes {sorted(unknown)}')

    def register(call: BadCall) -> BadCall:
        if any(case.name == name for case in BAD_INPUTS):
            raise ValueError(f'bad_input: a case named {name!r} is registered already')
        errors = raises if isinstance(raises, tuple) else (raises,)
        BAD_INPUTS.append(BadInput(name, label, call, errors, kind, tuple(dtypes)))
        return call

    return register


class TargetChanged(AssertionError):
    """A call that raised had changed the link it was given."""


def _state(link: Link) -> dict[str, numpy.ndarray | None]:
    state: dict[str, numpy.ndarray | None] = {}
    for name, param in link.namedparams():
        state[name] = None if param.array is None else numpy.array(to_host(param.array))
    for path, sub in link.namedlinks():
        for key in sub._persistent:
            value = getattr(sub, key)
            state[f'{path}/{key}'] = numpy.array(to_host(value)) if hasattr(value, 'shape') \
                else numpy.array(value)
    return state


@contextlib.contextmanager
def unchanged(link: Link) -> Iterator[None]:
    """Raises :class:`TargetChanged` when the block raises after changing ``link``'s
    parameters or persistent values (bit for bit); the block's own error is its cause."""
    before = _state(link)
    try:
        yield
    except Exception as error:
        after = _state(link)
        changed = sorted(k for k in before.keys() | after.keys()
                         if k not in before or k not in after
                         or (before[k] is None) != (after[k] is None)
                         or (before[k] is not None and not numpy.array_equal(
                             before[k], after[k], equal_nan=before[k].dtype.kind in 'fc')))
        if changed:
            raise TargetChanged(f'raised {type(error).__name__} after changing {changed}') \
                from error
        raise
