"""PrintHook: prints each function with its inputs (and output gradients in backward)."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from polychain.function_hooks.function_hook import FunctionHook


class PrintHook(FunctionHook):
    """Prints every function called, with a summary of its input arrays.

    Args:
        sep: Unused; kept for Chainer's signature (deprecated there).
        end: Written after each report.
        file: Where to write.
        flush: Flush ``file`` after each report.
    """

    name = 'PrintHook'

    def __init__(self, sep: str | None = None, end: str = '\n', file: TextIO = sys.stdout,
                 flush: bool = True) -> None:
        self.end = end
        self.file = file
        self.flush = flush

    def _print(self, text: str) -> None:
        self.file.write(text + self.end)
        if self.flush:
            self.file.flush()

    def forward_preprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        self._report(function, in_data)

    def backward_preprocess(self, function: Any, in_data: tuple[Any, ...],
                            out_grad: tuple[Any, ...]) -> None:
        self._report(function, in_data, out_grad)

    def _report(self, function: Any, in_data: tuple[Any, ...],
                out_grad: tuple[Any, ...] | None = None) -> None:
        lines = [f'function\t{function.label}', 'input data']
        lines += [_describe(x) for x in in_data]
        if out_grad is not None:
            lines.append('output gradient')
            lines += [_describe(g) for g in out_grad]
        self._print('\n'.join(lines))


def _describe(array: Any) -> str:
    if array is None:
        return '(removed)'
    from polychain.variable import Variable
    return Variable(array, requires_grad=False).debug_print()
