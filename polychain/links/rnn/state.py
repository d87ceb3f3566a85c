"""Helpers of the stateful recurrent links: their state Variables, zero states, state variables
on a device."""

from __future__ import annotations

from typing import Any

from polychain.backend.device import Device
from polychain.variable import Variable


def zero_state(device: Device, shape: tuple[int, ...], dtype: Any) -> Variable:
    """A Variable of zeros on ``device`` that needs no gradient."""
    data = device.namespace.zeros(shape, dtype=dtype, device=device.native)
    return Variable(data, requires_grad=False)


def state_variable(link: str, name: str, value: Any, device: Device) -> Variable:
    """``value`` as a Variable on ``device``, for ``set_state``."""
    if not isinstance(value, Variable):
        raise TypeError(f'{link}.set_state: expected a Variable as {name}, received '
                        f'{type(value).__name__}')
    return value.to_device(device)


class RecurrentState:
    """Mixin of a stateful recurrent link whose state Variables (``state_names``) move with it.

    ``reset_state`` forgets them; ``device_resident_accept`` hands them to the
    visitor of ``to_device`` so that they follow the link's parameters.
    """

    #: The attributes holding the state (``None`` before the first call).
    state_names: tuple[str, ...] = ('h',)

    def device_resident_accept(self, visitor: Any) -> None:
        """Also hands the state Variables to ``visitor`` (they move with the link)."""
        super().device_resident_accept(visitor)
        for name in self.state_names:
            state = getattr(self, name)
            if state is not None:
                visitor.visit_variable(state)

    def reset_state(self) -> None:
        """Forgets the state: the next call starts from zeros."""
        for name in self.state_names:
            setattr(self, name, None)
