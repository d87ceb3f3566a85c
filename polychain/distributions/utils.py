"""Helpers of the distributions under Chainer's module name ``chainer.distributions.utils``."""

from __future__ import annotations

from typing import Any

from polychain import functions as F
from polychain.variable import Variable


def _modified_xlogx(x: Any) -> Variable:
    """``x * log(x)`` with the value ``0`` at ``x == 0``, as Chainer's.

    Unlike :func:`polychain.distributions.distribution.xlogx`, its gradient
    at 0 is not defined (``log(0)`` is computed, with NumPy's RuntimeWarning).
    """
    x = x if isinstance(x, Variable) else Variable(x)
    xp = x.device.namespace
    return F.where(x.array > 0, x * F.log(x), xp.zeros_like(x.array))
