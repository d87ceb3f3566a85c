"""Mixed precision for float16 (Chainer's ``utils.precision``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def _fp16_mixed_precision_helper(forward: Callable[..., Any]) -> Callable[..., Any]:
    """Decorates a FunctionNode's ``forward`` to compute float16 inputs in float32.

    When the floating inputs are all float16, they reach ``forward`` as
    float32 and its float32 outputs come back as float16; other inputs and
    outputs (integers, ``None``) pass unchanged. Otherwise ``forward`` sees its
    inputs as given.
    """
    @functools.wraps(forward)
    def mixed_precision_forward(self: Any, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
        xp = self.xp
        floating = [x.dtype for x in inputs if xp.isdtype(x.dtype, 'real floating')]
        if not floating or any(dtype != xp.float16 for dtype in floating):
            return forward(self, inputs)
        inputs = tuple(xp.astype(x, xp.float32) if x.dtype == xp.float16 else x for x in inputs)
        outputs = forward(self, inputs)
        return tuple(xp.astype(y, xp.float16) if y is not None and y.dtype == xp.float32 else y
                     for y in outputs)
    return mixed_precision_forward
