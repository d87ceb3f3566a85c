"""Timing of nested calls and its report table, shared by TimerHook and TimerLinkHook."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

_UNITS = {'sec': 1.0, 'ms': 1e3, 'us': 1e6, 'ns': 1e9}


class CallTimer:
    """Measures nested calls: every call is recorded, and only outermost ones add up
    to the total (a call made inside another is already part of its time).

    Attributes:
        call_history: ``(name, elapsed seconds)`` per finished call, in order of completion.
    """

    #: The title of the first column of :meth:`print_report`.
    name_column = 'Name'

    def __init__(self) -> None:
        self.call_history: list[tuple[str, float]] = []
        self._starts: list[float] = []
        self._total_time = 0.0

    def _start_call(self) -> None:
        self._starts.append(time.perf_counter())

    def _end_call(self, name: str) -> None:
        elapsed = time.perf_counter() - self._starts.pop()
        self.call_history.append((name, elapsed))
        if not self._starts:
            self._total_time += elapsed

    def total_time(self) -> float:
        """Seconds spent in outermost calls."""
        return self._total_time

    def summary(self) -> dict[str, dict[str, float | int]]:
        """Per name, ``{'elapsed_time': seconds, 'occurrence': calls}``, in first-call order."""
        table: dict[str, dict[str, Any]] = {}
        for name, elapsed in self.call_history:
            entry = table.setdefault(name, {'elapsed_time': 0.0, 'occurrence': 0})
            entry['elapsed_time'] += elapsed
            entry['occurrence'] += 1
        return table

    def print_report(self, unit: str = 'auto', file: TextIO = sys.stdout) -> None:
        """Prints one row per name: total elapsed time and number of calls.

        Args:
            unit: ``'sec'``, ``'ms'``, ``'us'``, ``'ns'``, ``'auto'`` (the
                largest unit that keeps each value at least 1) or
                ``'auto_foreach'`` (like ``'auto'``, row by row; the same here).
        """
        if unit not in _UNITS and unit not in ('auto', 'auto_foreach'):
            raise ValueError(f'print_report: expected unit among {sorted(_UNITS)}, auto or '
                             f'auto_foreach, received {unit!r}')
        rows = [[self.name_column, 'ElapsedTime', 'Occurrence']]
        for name, entry in self.summary().items():
            rows.append([name, _format_time(entry['elapsed_time'], unit),
                         str(entry['occurrence'])])
        write_table(rows, file)


def write_table(rows: list[list[str]], file: TextIO) -> None:
    """Writes ``rows`` (the header first) as right-aligned columns separated by two spaces."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        file.write('  '.join(text.rjust(width) for text, width in zip(row, widths)) + '\n')


def _format_time(seconds: float, unit: str) -> str:
    if unit in _UNITS:
        return f'{seconds * _UNITS[unit]:.2f}{unit}'
    for name, scale in _UNITS.items():
        if seconds >= 1.0 / scale or name == 'ns':
            return f'{seconds * scale:.2f}{name}'
    raise AssertionError('unreachable')
