"""ProgressBar: a tqdm bar of the whole training, updated every few iterations."""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from polychain.training.extension import Extension


class ProgressBar(Extension):
    """Shows training progress with tqdm: overall fraction, the current epoch, speed and ETA.

    Args:
        training_length: ``(length, unit)``; default: the trainer's stop trigger.
        update_interval: Iterations between refreshes.
        bar_length: Width of the bar in characters.
        out: Stream to draw on (standard output by default).
    """

    trigger = 1, 'iteration'
    priority = 150

    def __init__(self, training_length: tuple[int | float, str] | None = None,
                 update_interval: int = 100, bar_length: int = 50,
                 out: IO[str] | None = None) -> None:
        self._training_length = training_length
        self._update_interval = update_interval
        self._bar_length = bar_length
        self._out = out
        self._bar: Any = None
        self._start: tuple[float, int] | None = None

    def initialize(self, trainer: Any) -> None:
        """Opens the bar."""
        from tqdm import tqdm
        if self._training_length is None:
            length = getattr(trainer.stop_trigger, 'get_training_length', None)
            if length is None:
                raise ValueError('ProgressBar: training_length is needed when the stop '
                                 'trigger does not tell the length of training')
            self._training_length = length()
        total, unit = self._training_length
        self._bar = tqdm(total=float(total), unit=unit, file=self._out or sys.stdout,
                         ncols=self._bar_length + 60, leave=True, dynamic_ncols=False,
                         bar_format='{l_bar}{bar}| {n:.2f}/{total:g} {unit}s [{elapsed}<'
                                    '{remaining}{postfix}]', mininterval=0)
        self._start = (time.time(), trainer.updater.iteration)

    def __call__(self, trainer: Any) -> None:
        updater = trainer.updater
        if updater.iteration % self._update_interval and not self._finished(trainer):
            return
        total, unit = self._training_length
        position = updater.epoch_detail if unit == 'epoch' else updater.iteration
        started, first_iteration = self._start
        elapsed = max(time.time() - started, 1e-9)
        speed = (updater.iteration - first_iteration) / elapsed
        self._bar.set_postfix_str(f'{updater.iteration} iter, {updater.epoch} epoch, '
                                  f'{speed:.2f} iters/sec', refresh=False)
        self._bar.update(min(position, total) - self._bar.n)

    def _finished(self, trainer: Any) -> bool:
        total, unit = self._training_length
        updater = trainer.updater
        position = updater.epoch_detail if unit == 'epoch' else updater.iteration
        return position >= total

    def finalize(self) -> None:
        """Closes the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
