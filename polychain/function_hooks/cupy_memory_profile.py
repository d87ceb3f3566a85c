"""CupyMemoryProfileHook: GPU memory that each function takes from CuPy's memory pool."""

from __future__ import annotations

import functools
import sys
from typing import Any, TextIO

from polychain.backends import cuda
from polychain.function_hooks.function_hook import FunctionHook
from polychain.utils.call_timer import write_table

_UNITS = ('B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB')
_SCALE = {unit: 1024 ** power for power, unit in enumerate(_UNITS)}


class CupyMemoryProfileHook(FunctionHook):
    """Records the bytes of CuPy's memory pool each forward and backward uses and acquires.

    ``used_bytes`` counts what the function takes from the pool,
    ``acquired_bytes`` what the pool newly allocates on the GPU for it. A
    call made inside another (the functions a backward is written with) is
    recorded too, with its depth, and counted once in the totals.

    Attributes:
        call_history: ``(function name, used bytes, acquired bytes, depth)`` per call.

    Raises:
        RuntimeError: CuPy is not usable here.
    """

    name = 'CupyMemoryProfileHook'

    def __init__(self) -> None:
        cuda.check_cuda_available()
        self.call_history: list[tuple[str, int, int, int]] = []
        self._memory_hook = _counting_hook_class(cuda.cupy)()
        self._running_stack: list[tuple[int, int]] = []
        self._total_used_bytes = 0
        self._total_acquired_bytes = 0

    def added(self, target: Any = None) -> None:
        self._memory_hook.__enter__()

    def deleted(self, target: Any = None) -> None:
        self._memory_hook.__exit__()

    def _start(self) -> None:
        counter = self._memory_hook
        self._running_stack.append((counter.used_bytes, counter.acquired_bytes))

    def _finish(self, function: Any) -> None:
        used_before, acquired_before = self._running_stack.pop()
        used = self._memory_hook.used_bytes - used_before
        acquired = self._memory_hook.acquired_bytes - acquired_before
        depth = len(self._running_stack)
        self.call_history.append((function._impl_name, used, acquired, depth))
        if depth == 0:
            self._total_used_bytes += used
            self._total_acquired_bytes += acquired

    def forward_preprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        self._start()

    def forward_postprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        self._finish(function)

    def backward_preprocess(self, function: Any, in_data: tuple[Any, ...],
                            out_grad: tuple[Any, ...]) -> None:
        self._start()

    def backward_postprocess(self, function: Any, in_data: tuple[Any, ...],
                             out_grad: tuple[Any, ...]) -> None:
        self._finish(function)

    def total_used_bytes(self) -> int:
        """Bytes taken from the pool by the outermost calls."""
        return self._total_used_bytes

    def total_acquired_bytes(self) -> int:
        """Bytes the pool allocated for the outermost calls."""
        return self._total_acquired_bytes

    def summary(self) -> dict[str, dict[str, int]]:
        """Per function name, ``used_bytes``, ``acquired_bytes`` and ``occurrence``."""
        table: dict[str, dict[str, int]] = {}
        for name, used, acquired, _ in self.call_history:
            entry = table.setdefault(name, {'used_bytes': 0, 'acquired_bytes': 0,
                                            'occurrence': 0})
            entry['used_bytes'] += used
            entry['acquired_bytes'] += acquired
            entry['occurrence'] += 1
        return table

    def _choose_unit(self, size: int) -> tuple[int, str]:
        """``(bytes per unit, unit)``: the largest unit (up to ZB) that ``size`` reaches."""
        chosen = 'B'
        for unit in _UNITS:
            if size >= _SCALE[unit]:
                chosen = unit
        return _SCALE[chosen], chosen

    def print_report(self, unit: str = 'auto', file: TextIO = sys.stdout) -> None:
        """Prints one row per function: used bytes, acquired bytes and number of calls.

        Args:
            unit: One of ``'B'``, ``'KB'``, ... ``'ZB'``; ``'auto'`` picks one
                unit per column from its largest value, ``'auto_foreach'`` one
                per value.
        """
        if unit not in _SCALE and unit not in ('auto', 'auto_foreach'):
            raise ValueError(f'print_report: expected unit among {list(_UNITS)}, auto or '
                             f'auto_foreach, received {unit!r}')
        summary = self.summary()
        columns = ('used_bytes', 'acquired_bytes')
        fixed = {}
        for column in columns:
            if unit == 'auto':
                fixed[column] = self._choose_unit(
                    max((entry[column] for entry in summary.values()), default=0))
            elif unit != 'auto_foreach':
                fixed[column] = (_SCALE[unit], unit)
        rows = [['FunctionName', 'UsedBytes', 'AcquiredBytes', 'Occurrence']]
        for name, entry in summary.items():
            row = [name]
            for column in columns:
                scale, shown = fixed.get(column) or self._choose_unit(entry[column])
                row.append(f'{entry[column] / scale:3.2f}{shown}')
            rows.append(row + [str(entry['occurrence'])])
        write_table(rows, file)
        file.flush()


@functools.cache
def _counting_hook_class(cupy: Any) -> type:
    """A CuPy memory hook that adds up the bytes used from and acquired by the pool."""

    class CupyMemoryCumulativeHook(cupy.cuda.memory_hook.MemoryHook):
        name = 'CupyMemoryCumulativeHook'

        def __init__(self) -> None:
            self.used_bytes = 0
            self.acquired_bytes = 0

        def alloc_preprocess(self, **kwargs: Any) -> None:
            self.acquired_bytes += kwargs['mem_size']

        def malloc_preprocess(self, **kwargs: Any) -> None:
            self.used_bytes += kwargs['mem_size']

    return CupyMemoryCumulativeHook
