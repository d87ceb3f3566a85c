"""EarlyStoppingTrigger: stops training when a monitored value stops improving."""

from __future__ import annotations

import operator
import warnings
from typing import Any

from polychain.reporter import DictSummary
from polychain.training.triggers.interval_trigger import get_trigger


class EarlyStoppingTrigger:
    """A stop trigger that fires after ``patience`` checks without improvement.

    At every firing of ``check_trigger`` the mean of ``monitor`` since the
    previous check is compared with the best mean so far; after ``patience``
    checks in a row without improvement, or when ``max_trigger`` fires, the
    trigger fires.

    Args:
        check_trigger: When the monitored value is checked (default every epoch).
        monitor: The observation key to watch.
        patience: Checks without improvement tolerated (default 3; ``patients``
            is accepted as an alias).
        mode: ``'max'``, ``'min'``, or ``'auto'`` (``'max'`` when ``monitor``
            contains ``'accuracy'``, ``'min'`` otherwise).
        verbose: Print the comparisons and the reason for stopping.
        max_trigger: Stops training anyway when it fires (default 100 epochs).
    """

    def __init__(self, check_trigger: Any = (1, 'epoch'), monitor: str = 'main/loss',
                 patience: int | None = None, mode: str = 'auto', verbose: bool = False,
                 max_trigger: Any = (100, 'epoch'), **kwargs: Any) -> None:
        patients = kwargs.pop('patients', None)
        if kwargs:
            raise TypeError(f'EarlyStoppingTrigger: unexpected arguments {sorted(kwargs)}')
        if patience is not None and patients is not None:
            raise TypeError('EarlyStoppingTrigger: give patience or its alias patients, '
                            'not both')
        if mode not in ('auto', 'max', 'min'):
            raise ValueError(f"EarlyStoppingTrigger: expected mode 'auto', 'max' or 'min', "
                             f'received {mode!r}')
        self.patience = next((p for p in (patience, patients) if p is not None), 3)
        self.monitor = monitor
        self.verbose = verbose
        self.count = 0
        self._interval_trigger = get_trigger(check_trigger)
        self._max_trigger = get_trigger(max_trigger)
        self._summary = DictSummary()
        maximize = mode == 'max' or (mode == 'auto' and 'accuracy' in monitor)
        self._compare = operator.gt if maximize else operator.lt
        self.best = float('-inf') if maximize else float('inf')
        if verbose:
            print(f"early stopping: operator is {'greater' if maximize else 'less'}")

    def __call__(self, trainer: Any) -> bool:
        observation = trainer.observation
        if self.monitor in observation:
            self._summary.add({self.monitor: observation[self.monitor]})
        if self._max_trigger(trainer):
            return True
        if not self._interval_trigger(trainer):
            return False
        if self.monitor not in observation:
            warnings.warn(f'EarlyStoppingTrigger: {self.monitor!r} is not in the observation',
                          stacklevel=2)
            return False
        current = self._summary.compute_mean()[self.monitor]
        self._summary = DictSummary()
        if self._compare(current, self.best):
            self.best = current
            self.count = 0
        else:
            self.count += 1
        if self.verbose:
            print(f'{self.count} >= {self.patience}')
        if self.count >= self.patience:
            if self.verbose:
                print(f'Epoch {trainer.updater.epoch}: early stopping')
            return True
        return False

    def get_training_length(self) -> tuple[int | float, str]:
        """The length of ``max_trigger``: training stops there at the latest."""
        return self._max_trigger.get_training_length()

    def serialize(self, serializer: Any) -> None:
        """Saves or loads both triggers, the running summary, the best value and the count."""
        for key, trigger in (('interval_trigger', self._interval_trigger),
                             ('max_trigger', self._max_trigger)):
            if hasattr(trigger, 'serialize'):
                trigger.serialize(serializer[key])
        self._summary.serialize(serializer['summary'])
        self.best = float(serializer('best', self.best))
        self.count = int(serializer('count', self.count))
