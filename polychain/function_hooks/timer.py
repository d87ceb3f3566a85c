"""TimerHook: time spent in each function's forward and backward."""

from __future__ import annotations

from typing import Any

from polychain.function_hooks.function_hook import FunctionHook
from polychain.utils.call_timer import CallTimer


class TimerHook(CallTimer, FunctionHook):
    """Measures the time of every forward and backward of the functions it sees.

    On asynchronous backends (JAX, CuPy) the outputs are waited for, so the
    time is that of the computation. Calls made inside another (the
    functions a backward is written with) are listed too, and counted once in
    :meth:`total_time`.

    >>> with TimerHook() as hook:
    ...     loss = model(x)
    ...     loss.backward()
    >>> hook.print_report()
    """

    name = 'TimerHook'
    name_column = 'FunctionName'
    synchronizes = True

    def forward_preprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        _synchronize(function, in_data)
        self._start_call()

    def forward_postprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        self._end_call(function._impl_name)

    def backward_preprocess(self, function: Any, in_data: tuple[Any, ...],
                            out_grad: tuple[Any, ...]) -> None:
        _synchronize(function, [g for g in out_grad if g is not None])
        self._start_call()

    def backward_postprocess(self, function: Any, in_data: tuple[Any, ...],
                             out_grad: tuple[Any, ...]) -> None:
        self._end_call(function._impl_name)


def _synchronize(function: Any, arrays: Any) -> None:
    """Waits for ``arrays`` on the function's device (none before the function ran)."""
    device = function.device
    if device is not None:
        device.backend.synchronize(arrays)
