"""MicroAverage: reports the ratio of two summed observations (e.g. correct / total)."""

from __future__ import annotations

from typing import Any

from polychain.backend.registry import to_host
from polychain.reporter import report
from polychain.training.extension import PRIORITY_EDITOR, Extension
from polychain.training.triggers import get_trigger
from polychain.variable import Variable


class MicroAverage(Extension):
    """Sums ``numerator_key`` and ``denominator_key`` and reports their ratio at ``trigger``.

    Unlike the mean of per-iteration ratios, this weights each iteration by
    its denominator (e.g. the number of examples).

    Args:
        numerator_key: The observation key of the numerator.
        denominator_key: The observation key of the denominator.
        result_key: The key the ratio is reported under.
        trigger: When the ratio is reported and the sums are reset (default
            every epoch).
    """

    priority = PRIORITY_EDITOR

    def __init__(self, numerator_key: str, denominator_key: str, result_key: str,
                 trigger: Any = (1, 'epoch')) -> None:
        self._trigger = get_trigger(trigger)
        self._numerator_key = numerator_key
        self._denominator_key = denominator_key
        self._result_key = result_key
        self._numerator: Any = 0
        self._denominator: Any = 0

    def __call__(self, trainer: Any) -> None:
        observation = trainer.observation
        if self._numerator_key not in observation or self._denominator_key not in observation:
            return
        self._numerator = self._numerator + _plain(observation[self._numerator_key])
        self._denominator = self._denominator + _plain(observation[self._denominator_key])
        if self._trigger(trainer):
            result = _to_float(self._numerator) / _to_float(self._denominator)
            self._numerator = self._denominator = 0
            report({self._result_key: result})

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the trigger and the running sums (as host floats)."""
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['trigger'])
        self._numerator = serializer('_numerator', _to_float(self._numerator))
        self._denominator = serializer('_denominator', _to_float(self._denominator))


def _plain(value: Any) -> Any:
    return value.array if isinstance(value, Variable) else value


def _to_float(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else float(to_host(value))
