"""Triggers that fire when an observed value reaches a new best (maximum or minimum)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.reporter import DictSummary
from polychain.serializers.converted_entry import load_converted, optional_float
from polychain.training.triggers.interval_trigger import get_trigger


class BestValueTrigger:
    """Fires when the mean of ``key`` over an interval beats the best mean so far.

    The observed values are averaged between two firings of ``trigger``;
    at each firing the mean is compared with the best one seen.

    Args:
        key: The observation key to watch (e.g. ``'validation/main/loss'``).
        compare: ``compare(best, new)`` is ``True`` when ``new`` is better.
        trigger: When the mean is computed and compared (default every epoch).
    """

    def __init__(self, key: str, compare: Callable[[float, float], bool],
                 trigger: Any = (1, 'epoch')) -> None:
        self._key = key
        self._compare = compare
        self._interval_trigger = get_trigger(trigger)
        self._summary = DictSummary()
        self._best_value: float | None = None

    def __call__(self, trainer: Any) -> bool:
        observation = trainer.observation
        if self._key in observation:
            self._summary.add({self._key: observation[self._key]})
        if not self._interval_trigger(trainer):
            return False
        means = self._summary.compute_mean()
        if self._key not in means:
            return False
        self._summary = DictSummary()
        value = means[self._key]
        if self._best_value is None or self._compare(self._best_value, value):
            self._best_value = value
            return True
        return False

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the interval trigger, the running summary and the best value."""
        if hasattr(self._interval_trigger, 'serialize'):
            self._interval_trigger.serialize(serializer['interval_trigger'])
        self._summary.serialize(serializer['summary'])
        self._best_value = load_converted(serializer, 'best_value', self._best_value,
                                          optional_float)


class MaxValueTrigger(BestValueTrigger):
    """Fires when the mean of ``key`` over an interval is the largest so far.

    Args:
        key: The observation key to watch (e.g. ``'validation/main/accuracy'``).
        trigger: When the mean is computed and compared (default every epoch).
    """

    def __init__(self, key: str, trigger: Any = (1, 'epoch')) -> None:
        super().__init__(key, lambda best, new: new > best, trigger)


class MinValueTrigger(BestValueTrigger):
    """Fires when the mean of ``key`` over an interval is the smallest so far.

    Args:
        key: The observation key to watch (e.g. ``'validation/main/loss'``).
        trigger: When the mean is computed and compared (default every epoch).
    """

    def __init__(self, key: str, trigger: Any = (1, 'epoch')) -> None:
        super().__init__(key, lambda best, new: new < best, trigger)
