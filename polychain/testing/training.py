"""``get_trainer_with_mock_updater``: a Trainer whose updater only counts iterations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from unittest import mock


def _mock_updater(iter_per_epoch: float) -> mock.Mock:
    """A ``mock.Mock`` updater whose ``update`` calls ``update_core`` and advances the counters."""
    updater = mock.Mock()
    updater.get_all_optimizers.return_value = {}
    updater.iteration = 0
    updater.epoch = 0
    updater.epoch_detail = 0
    updater.is_new_epoch = True
    updater.previous_epoch_detail = None

    def update() -> None:
        updater.update_core()
        updater.iteration += 1
        updater.epoch = int(updater.iteration // iter_per_epoch)
        updater.epoch_detail = updater.iteration / iter_per_epoch
        updater.is_new_epoch = ((updater.iteration - 1) // iter_per_epoch
                                != updater.iteration // iter_per_epoch)
        updater.previous_epoch_detail = (updater.iteration - 1) / iter_per_epoch

    updater.update = update
    return updater


def get_trainer_with_mock_updater(stop_trigger: Any = (10, 'iteration'),
                                  iter_per_epoch: float = 10,
                                  extensions: Sequence[Callable[..., Any]] | None = None
                                  ) -> Any:
    """A :class:`~polychain.training.Trainer` for testing extensions and triggers.

    Its updater is a ``unittest.mock.Mock`` whose ``update()`` calls
    ``update_core()`` and advances ``iteration``, ``epoch``, ``epoch_detail``,
    ``previous_epoch_detail`` and ``is_new_epoch`` as if an epoch had
    ``iter_per_epoch`` iterations; other attributes (``get_optimizer``) are mocks.

    Args:
        stop_trigger: The trainer's stop trigger.
        iter_per_epoch: Iterations per epoch (may be fractional).
        extensions: Extensions to register.
    """
    from polychain import training
    trainer = training.Trainer(_mock_updater(iter_per_epoch), stop_trigger)
    for extension in extensions or ():
        trainer.extend(extension)
    return trainer
