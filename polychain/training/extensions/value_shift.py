"""The common machinery of extensions that set an optimizer attribute on a schedule."""

from __future__ import annotations

from typing import Any

from polychain.serializer import Deserializer
from polychain.serializers.converted_entry import load_converted, optional_float
from polychain.training.extension import Extension


class ValueShift(Extension):
    """Sets ``optimizer.<attr>`` to ``value_at(t)``, ``t`` counting the calls.

    Before training (``initialize``) the attribute is set to ``value_at(0)``,
    or to the last value set when the extension was loaded from a snapshot.
    When a snapshot is loaded after ``initialize`` (e.g. by an autoloading
    snapshot extension), the loaded value is applied to the optimizer at once,
    so a resumed run uses exactly the value the interrupted one used.

    Subclasses implement :meth:`value_at` and may override :meth:`prepare`.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'lr'``).
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    def __init__(self, attr: str, optimizer: Any = None) -> None:
        self._attr = attr
        self._optimizer = optimizer
        self._t = 0
        self._last_value: float | None = None
        self._initialized_optimizer: Any = None

    def prepare(self, optimizer: Any) -> None:
        """Reads what the schedule needs from the optimizer before the first value is set."""

    def value_at(self, t: int) -> float:
        """The attribute's value after ``t`` calls; subclasses implement it."""
        raise NotImplementedError(f'{type(self).__name__} must implement value_at(t)')

    def initialize(self, trainer: Any) -> None:
        optimizer = self._optimizer_of(trainer)
        self.prepare(optimizer)
        value = self._last_value if self._last_value is not None else self.value_at(self._t)
        self._set(optimizer, value)
        self._initialized_optimizer = optimizer

    def __call__(self, trainer: Any) -> None:
        self._t += 1
        self._set(self._optimizer_of(trainer), self.value_at(self._t))

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the call count and the last value set."""
        self._t = int(serializer('_t', self._t))
        previous = self._last_value
        self._last_value = load_converted(serializer, '_last_value', previous, optional_float)
        loaded = isinstance(serializer, Deserializer) and self._last_value is not previous
        if loaded and self._initialized_optimizer is not None and self._last_value is not None:
            setattr(self._initialized_optimizer, self._attr, self._last_value)

    def _optimizer_of(self, trainer: Any) -> Any:
        return self._optimizer or trainer.updater.get_optimizer('main')

    def _set(self, optimizer: Any, value: float) -> None:
        setattr(optimizer, self._attr, value)
        self._last_value = value


def limit_to_target(value: float, target: float | None, increasing: bool) -> float:
    """``value``, stopped at ``target`` once it passes it in the schedule's direction.

    Compares ``value / target`` with 1 so that negative values work too.
    """
    if target is None:
        return value
    ratio = value / target
    return target if (ratio > 1 if increasing else ratio < 1) else value


class ScaledShift(ValueShift):
    """Sets the attribute to ``init * scale_at(t)``, stopped at ``target``.

    Subclasses implement :meth:`scale_at` and set :attr:`increasing`, the
    direction in which the schedule moves the attribute's magnitude.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'lr'``).
        init: The initial value; ``None`` reads the optimizer's attribute.
        target: A value the attribute stops at once reached; ``None`` for none.
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    increasing = False

    def __init__(self, attr: str, init: float | None, target: float | None,
                 optimizer: Any = None) -> None:
        super().__init__(attr, optimizer)
        self._init = init
        self._target = target

    def scale_at(self, t: int) -> float:
        """The factor of the initial value after ``t`` calls; subclasses implement it."""
        raise NotImplementedError(f'{type(self).__name__} must implement scale_at(t)')

    def prepare(self, optimizer: Any) -> None:
        if self._init is None:
            self._init = getattr(optimizer, self._attr)

    def value_at(self, t: int) -> float:
        return limit_to_target(self._init * self.scale_at(t), self._target, self.increasing)


class MultiplicativeShift(ScaledShift):
    """Sets the attribute to ``init * factor ** power_at(t)``, stopped at ``target``.

    Subclasses implement :meth:`power_at`.

    Args:
        attr: Name of the optimizer attribute to adjust (e.g. ``'lr'``).
        factor: The factor the attribute is multiplied by at each power.
        init: The initial value; ``None`` reads the optimizer's attribute.
        target: A value the attribute stops at once reached; ``None`` for none.
        optimizer: The optimizer; ``None`` means the trainer's main optimizer.
    """

    def __init__(self, attr: str, factor: float, init: float | None, target: float | None,
                 optimizer: Any = None) -> None:
        super().__init__(attr, init, target, optimizer)
        self._factor = factor
        self.increasing = factor > 1

    def power_at(self, t: int) -> int:
        """How many times ``factor`` has been applied after ``t`` calls."""
        raise NotImplementedError(f'{type(self).__name__} must implement power_at(t)')

    def scale_at(self, t: int) -> float:
        return self._factor ** self.power_at(t)
