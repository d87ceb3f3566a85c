"""TimerHook: time spent in each link's forward."""

from __future__ import annotations

from polychain.link_hooks.link_hook import (
    ForwardPostprocessCallbackArgs,
    ForwardPreprocessCallbackArgs,
    LinkHook,
)
from polychain.utils.call_timer import CallTimer


class TimerHook(CallTimer, LinkHook):
    """Measures the time of every link call it sees, waiting for asynchronous backends.

    A link called inside another (the layers of a Chain) is listed too, and
    counted once in :meth:`total_time`.
    """

    name = 'TimerHook'
    name_column = 'LinkName'

    def forward_preprocess(self, args: ForwardPreprocessCallbackArgs) -> None:
        self._start_call()

    def forward_postprocess(self, args: ForwardPostprocessCallbackArgs) -> None:
        outputs = args.out if isinstance(args.out, (tuple, list)) else (args.out,)
        args.link.device.backend.synchronize([getattr(y, 'array', y) for y in outputs])
        self._end_call(type(args.link).__name__)
