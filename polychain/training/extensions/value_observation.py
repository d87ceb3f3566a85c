"""observe_value and observe_lr: record a value of the trainer in the observation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.training.extension import PRIORITY_WRITER, make_extension


def observe_value(observation_key: str, target_func: Callable[[Any], Any]) -> Any:
    """A trainer extension that stores ``target_func(trainer)`` under ``observation_key``.

    It runs once per epoch by default (pass ``trigger`` to ``Trainer.extend``
    to change that), with writer priority so that LogReport sees the value.

    Args:
        observation_key: The key of the value in the observation.
        target_func: Called with the trainer; returns the value to record.
    """
    @make_extension(trigger=(1, 'epoch'), priority=PRIORITY_WRITER)
    def _observe_value(trainer: Any) -> None:
        trainer.observation[observation_key] = target_func(trainer)
    return _observe_value


def observe_lr(optimizer_name: str = 'main', observation_key: str = 'lr') -> Any:
    """A trainer extension that records an optimizer's learning rate (``optimizer.lr``).

    Args:
        optimizer_name: Which of the updater's optimizers.
        observation_key: The key of the value in the observation.
    """
    return observe_value(observation_key,
                         lambda trainer: trainer.updater.get_optimizer(optimizer_name).lr)
