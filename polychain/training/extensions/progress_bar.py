"""ProgressBar: the progress of training, redrawn in place every few iterations on a terminal,
printed as one plain line every few iterations elsewhere."""

from __future__ import annotations

import collections
import datetime
import sys
import time
from typing import IO, Any

from polychain.training.extension import Extension

_LINES = 4  # total bar, epoch bar, position, speed
_CLEAR_BELOW = '\033[J'
_CURSOR_UP = f'\033[{_LINES}A'


class ProgressBar(Extension):
    """Draws Chainer's progress display: a bar of the whole training, a bar of the
    current epoch, the iteration and epoch, the speed and the estimated time left.

    On a terminal the four lines are redrawn in place (the cursor goes back up
    after drawing), so lines printed in between, such as PrintReport's,
    replace them. When the stream is not a terminal (output redirected to a
    file or a pipe) no control codes are written: each redraw is one plain line
    with the iteration, the epoch, the progress, the speed and the time left.

    Args:
        training_length: ``(length, unit)``; default: the trainer's stop trigger.
        update_interval: Iterations between redraws.
        bar_length: Width of each bar in characters.
        out: Stream to draw on (standard output by default).
    """

    trigger = 1, 'iteration'
    priority = 150

    def __init__(self, training_length: tuple[int | float, str] | None = None,
                 update_interval: int = 100, bar_length: int = 50,
                 out: IO[str] | None = None) -> None:
        if update_interval <= 0:
            raise ValueError(f'ProgressBar: expected a positive update_interval, received '
                             f'{update_interval}')
        self._training_length = training_length
        self._update_interval = update_interval
        self._bar_length = bar_length
        self._out = out
        # (iteration, position in the length's unit, time) of the latest redraws, for the speed.
        self._recent: collections.deque[tuple[int, float, float]] = collections.deque(maxlen=10)

    def initialize(self, trainer: Any) -> None:
        """Takes the training length from the stop trigger when none was given."""
        if self._training_length is None:
            length = getattr(trainer.stop_trigger, 'get_training_length', None)
            if length is None:
                raise ValueError('ProgressBar: training_length is needed when the stop '
                                 'trigger does not tell the length of training')
            self._training_length = length()
        self._recent.append((trainer.updater.iteration, self._position(trainer.updater),
                             time.time()))

    def __call__(self, trainer: Any) -> None:
        updater = trainer.updater
        if updater.iteration % self._update_interval == 0:
            self._draw(updater)

    def _position(self, updater: Any) -> float:
        """How far training is, in the unit of the training length."""
        return updater.iteration if self._training_length[1] == 'iteration' else \
            updater.epoch_detail

    def _draw(self, updater: Any) -> None:
        length, unit = self._training_length
        iteration, epoch_detail, position = (updater.iteration, updater.epoch_detail,
                                             self._position(updater))
        now = time.time()
        first_iteration, first_position, first_time = self._recent[0]
        self._recent.append((iteration, position, now))
        span = now - first_time
        speed = (iteration - first_iteration) / span if span > 0 else float('inf')
        progress_speed = (position - first_position) / span if span > 0 else float('inf')
        left = max((length - position) / progress_speed, 0.0) if progress_speed else 0.0
        units = 'iterations' if unit == 'iteration' else 'epochs'
        out = self._stream()
        where = f'{iteration:10} iter, {int(epoch_detail)} epoch / {length} {units}'
        finish = f'Estimated time to finish: {datetime.timedelta(seconds=left)}.'
        if not _is_terminal(out):
            out.write(f'{where.lstrip()}, total {self._percent(position / length).lstrip()}, '
                      f'{speed:.5g} iters/sec. {finish}\n')
            out.flush()
            return
        out.write(_CLEAR_BELOW)
        out.write(f'     total {self._bar(position / length)}\n')
        out.write(f'this epoch {self._bar(epoch_detail - int(epoch_detail))}\n')
        out.write(f'{where}\n')
        out.write(f'{speed:10.5g} iters/sec. {finish}\n')
        out.write(_CURSOR_UP)
        out.flush()

    def _stream(self) -> IO[str]:
        return self._out if self._out is not None else sys.stdout

    def _bar(self, rate: float) -> str:
        marks = int(min(max(rate, 0.0), 1.0) * self._bar_length)
        return f'[{"#" * marks}{"." * (self._bar_length - marks)}] {self._percent(rate)}'

    @staticmethod
    def _percent(rate: float) -> str:
        return f'{min(max(rate, 0.0), 1.0):6.2%}'

    def finalize(self) -> None:
        """Clears the display (on a terminal)."""
        out = self._stream()
        if _is_terminal(out):
            out.write(_CLEAR_BELOW)
            out.flush()


def _is_terminal(out: IO[str]) -> bool:
    isatty = getattr(out, 'isatty', None)
    return bool(isatty is not None and isatty())
