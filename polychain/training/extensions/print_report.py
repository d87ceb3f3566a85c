"""PrintReport: prints the entries of a LogReport as a table."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import IO, Any

from polychain.training.extension import Extension

_CLEAR_BELOW = '\033[J'


class PrintReport(Extension):
    """Prints a row for each new entry of the log, under a header printed at the first call.

    Args:
        entries: The keys to show, as columns.
        log_report: The LogReport extension or its name in the trainer.
        out: Where to print (standard output by default).
    """

    def __init__(self, entries: Iterable[str], log_report: Any = 'LogReport',
                 out: IO[str] | None = None) -> None:
        self._entries = list(entries)
        self._log_report = log_report
        self._out = out
        self._printed = 0
        self._header_printed = False
        self._widths = [max(10, len(entry)) for entry in self._entries]

    def _stream(self) -> IO[str]:
        return self._out if self._out is not None else sys.stdout

    def __call__(self, trainer: Any) -> None:
        if not self._header_printed:  # at the first call, as Chainer: after what came before
            header = '   '.join(f'{entry:<{width}}'
                                for entry, width in zip(self._entries, self._widths))
            _write_line(self._stream(), header.rstrip())
            self._header_printed = True
        log_report = self._log_report
        if isinstance(log_report, str):
            log_report = trainer.get_extension(log_report)
        log = log_report.log
        out = self._stream()
        for line in log[self._printed:]:
            cells = []
            for entry, width in zip(self._entries, self._widths):
                value = line.get(entry)
                cells.append(' ' * width if value is None else f'{_format(value):<{width}}')
            _write_line(out, '   '.join(cells).rstrip())
        self._printed = len(log)

    def serialize(self, serializer: Any) -> None:
        """Saves or loads how many rows were printed."""
        self._printed = int(serializer('_printed', self._printed))


def _write_line(out: IO[str], line: str) -> None:
    """Prints a line; on a terminal it first clears what a progress bar drew below the
    cursor (the bar redraws itself under the line)."""
    is_terminal = getattr(out, 'isatty', None)
    out.write((_CLEAR_BELOW if is_terminal and is_terminal() else '') + line + '\n')
    flush = getattr(out, 'flush', None)  # any object with write() will do
    if flush is not None:
        flush()


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f'{value:g}'
    return str(value)
