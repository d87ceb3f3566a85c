"""The state a compiled step reads and writes: where it lives and how to swap it.

A compiled call passes the arrays and counters of links, optimizers and
random generators into the compiled program and stores what the program
returns in the same places, so that serializers, extensions and hooks see
the same objects as after an eager step. A :class:`Slot` names one such
place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from polychain.backend.device import Device
from polychain.link import Link
from polychain.variable import Variable


class Slot:
    """The attribute ``name`` of ``owner``."""

    __slots__ = ('owner', 'name')

    def __init__(self, owner: Any, name: str) -> None:
        self.owner = owner
        self.name = name

    def get(self) -> Any:
        return getattr(self.owner, self.name)

    def set(self, value: Any) -> None:
        setattr(self.owner, self.name, value)

    def put(self, value: Any) -> None:
        """Stores what a compiled call returned for this slot (same device, dtype, shape)."""
        self.set(value)

    @property
    def key(self) -> tuple[int, str]:
        """What identifies the place: the owner (by identity) and the name."""
        return id(self.owner), self.name

    def describe(self) -> str:
        return f'{type(self.owner).__name__}.{self.name}'


class ArraySlot(Slot):
    """A parameter's array."""

    __slots__ = ()

    def put(self, value: Any) -> None:
        owner = self.owner
        if owner._data is None:  # created by the call: the setter records its device
            owner.array = value
        else:
            owner._data = value  # the device stays: the program computes on it


class GradSlot(Slot):
    """A parameter's gradient."""

    __slots__ = ()

    def put(self, value: Any) -> None:
        owner = self.owner
        if value is None:
            owner.grad = None
            return
        owner.node.grad_var = Variable._wrap(value, owner._device, None, True)
        owner._grad_valid = True


class ItemSlot(Slot):
    """The entry ``name`` of the dict ``owner`` (an update rule's state)."""

    __slots__ = ()

    def get(self) -> Any:
        return self.owner[self.name]

    def set(self, value: Any) -> None:
        self.owner[self.name] = value

    def describe(self) -> str:
        return f'state[{self.name!r}]'


def collect_slots(owners: Iterable[Any], grads: bool = True) -> list[Slot]:
    """The slots of links, optimizers and devices (their random generators), each once.

    An optimizer brings its target link, its step count and each update
    rule's count and state; a link brings every parameter's array and
    gradient (unless ``grads`` is false), every persistent value and every
    Variable attribute of its sublinks.

    Raises:
        TypeError: An owner is none of these.
    """
    slots: list[Slot] = []
    seen: set[int] = set()
    for owner in owners:
        for slot in _slots_of(owner):
            if not grads and isinstance(slot, GradSlot):
                continue
            if slot.key not in seen:
                seen.add(slot.key)
                slots.append(slot)
    return slots


def _slots_of(owner: Any) -> Iterator[Slot]:
    from polychain.optimizer import Optimizer
    if isinstance(owner, Optimizer):
        yield from _optimizer_slots(owner)
    elif isinstance(owner, Link):
        yield from _link_slots(owner)
    elif isinstance(owner, Device):
        yield from generator_slots([owner])
    else:
        raise TypeError(f'polychain.jit: expected links, optimizers or devices as the state, '
                        f'received {type(owner).__name__}')


def _link_slots(link: Link) -> Iterator[Slot]:
    for sublink in link.links():
        for name in sorted(sublink._params):
            param = sublink.__dict__[name]
            yield ArraySlot(param, 'array')
            if param.array is not None:  # an uninitialised parameter has no gradient yet
                yield GradSlot(param, 'grad')
        for name in sorted(sublink._persistent):
            yield Slot(sublink, name)
        yield from variable_attribute_slots(sublink)


def variable_attribute_slots(link: Link, include_none: bool = False) -> Iterator[Slot]:
    """The attributes of ``link`` that hold Variables other than parameters (state such as
    an LSTM's ``h`` and ``c``, or ``Classifier.loss``): compiled code reads them as inputs.

    With ``include_none``, also the attributes that are ``None`` (state not set yet).
    """
    from polychain.parameter import Parameter
    from polychain.variable import Variable
    for name, value in sorted(vars(link).items()):
        if (isinstance(value, Variable) and not isinstance(value, Parameter)) or (
                include_none and value is None and not name.startswith('__')):
            yield Slot(link, name)


def _optimizer_slots(optimizer: Any) -> Iterator[Slot]:
    target = optimizer.target
    if target is None:
        raise RuntimeError(f'polychain.jit: the optimizer {type(optimizer).__name__} has no '
                           f'target link; call setup(link) first')
    yield from _link_slots(target)
    yield Slot(optimizer, 't')
    for param in target.params():
        rule = param.update_rule
        if rule is None:
            continue
        yield Slot(rule, 't')
        for name in sorted(rule.state or ()):
            yield ItemSlot(rule.state, name)


def generator_slots(devices: Iterable[Device], created_only: bool = False) -> Iterator[Slot]:
    """The state of the random generator of each device whose generator compiled code can
    carry (one with a ``state_array``); with ``created_only``, of the generators that exist
    (a device creates its generator at its first draw, from the host's seed)."""
    for device in devices:
        if created_only and device._generator is None:
            continue
        generator = device.random
        if hasattr(type(generator), 'state_array'):
            yield Slot(generator, 'state_array')


def links_of(owners: Iterable[Any]) -> list[Link]:
    """Every link among ``owners`` and their sublinks (an optimizer gives its target's)."""
    from polychain.optimizer import Optimizer
    found: dict[int, Link] = {}
    for owner in owners:
        link = owner.target if isinstance(owner, Optimizer) else owner
        if isinstance(link, Link):
            for sublink in link.links():
                found.setdefault(id(sublink), sublink)
    return list(found.values())


def variable_attributes(links: Iterable[Link]) -> dict[tuple[int, str], tuple[Slot, Any]]:
    """The :func:`variable_attribute_slots` of ``links`` and their values, by owner and name."""
    return {slot.key: (slot, slot.get())
            for link in links for slot in variable_attribute_slots(link)}


def state_to_create(owners: Iterable[Any]) -> str | None:
    """What the next step would create, or ``None``.

    Parameters initialised lazily and optimizer state created at the first
    update appear during a step: a compiled step that creates them is traced
    with :class:`Creations` kept, so that a failed call can undo them.
    """
    from polychain.optimizer import Optimizer
    for owner in owners:
        link = owner.target if isinstance(owner, Optimizer) else owner
        if not isinstance(link, Link):
            continue
        for param in link.params():
            if param.array is None:
                return f'parameter {param.name!r} is not initialised yet'
            rule = param.update_rule if isinstance(owner, Optimizer) else None
            if rule is not None and rule.enabled and rule.state is None:
                return f'the update rule of parameter {param.name!r} has no state yet'
    return None


class Creations:
    """What a step may create in the links and update rules of ``owners`` and on ``device``,
    recorded before it, so that :meth:`undo` can remove it again: attributes and persistent
    values of links, the arrays and gradients of uninitialised parameters, the state of
    update rules, the device's random generator."""

    def __init__(self, owners: Iterable[Any], device: Device) -> None:
        from polychain.optimizer import Optimizer
        self.device, self.generator = device, device._generator
        links = links_of(owners)
        self.links = [(link, dict(vars(link)), set(link._persistent)) for link in links]
        params = [param for link in links for param in link.params(include_uninit=True)]
        self.params = [(param, param._grad_valid, param._grad_fill)
                       for param in params if param.array is None]
        self.rules = [(rule, rule._state, rule._state_device)
                      for owner in owners if isinstance(owner, Optimizer)
                      for param in owner.target.params()
                      if (rule := param.update_rule) is not None]

    def undo(self) -> None:
        self.device._generator = self.generator
        for link, attributes, persistent in self.links:
            for name in set(vars(link)) - set(attributes):
                del link.__dict__[name]
            link.__dict__.update(attributes)
            link._persistent.clear()
            link._persistent.update(persistent)
        for param, grad_valid, grad_fill in self.params:
            param._data = param._device = None
            if param._node is not None:
                param._node.grad_var = None
            param._grad_valid, param._grad_fill = grad_valid, grad_fill
        for rule, state, state_device in self.rules:
            rule._state, rule._state_device = state, state_device
