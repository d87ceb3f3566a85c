"""rrelu: leaky ReLU with a random slope per element while training."""

from __future__ import annotations

from typing import Any

from polychain.configuration import config
from polychain.functions.activation.piecewise_linear import PiecewiseLinear
from polychain.variable import Variable


class RReLU(PiecewiseLinear):
    """x for x >= 0, r * x otherwise, with r drawn from U(lower, upper) while training.

    Outside training (``config.train`` is ``False``) r is ``(lower + upper) / 2``
    everywhere, whatever ``r`` was given.
    """

    def __init__(self, lower: float = 1. / 8, upper: float = 1. / 3, r: Any = None) -> None:
        if not 0.0 <= lower < 1.0:
            raise ValueError(f'rrelu: expected 0 <= l < 1, received l={lower}')
        if not 0.0 <= upper < 1.0:
            raise ValueError(f'rrelu: expected 0 <= u < 1, received u={upper}')
        if not lower < upper:
            raise ValueError(f'rrelu: expected l < u, received l={lower}, u={upper}')
        self.lower = float(lower)
        self.upper = float(upper)
        self.r = r.array if isinstance(r, Variable) else r

    def forward(self, inputs):
        x, = inputs
        if not config.train:
            self.r = self.xp.full_like(x, (self.lower + self.upper) / 2)
        elif self.r is None:
            self.r = self.device.random.uniform(tuple(x.shape), x.dtype, self.lower, self.upper)
        elif tuple(self.r.shape) != tuple(x.shape):
            raise ValueError(f'rrelu: expected r of the shape of x, {tuple(x.shape)}, received '
                             f'{tuple(self.r.shape)}')
        elif self.r.dtype != x.dtype:
            self.r = self.xp.astype(self.r, x.dtype)
        return self.xp.where(x >= 0, x, x * self.r),

    def slope(self, x):
        return self.mask(x >= 0, x.dtype) * (1.0 - self.r) + self.r


def rrelu(x: Any, l: float = 1. / 8, u: float = 1. / 3, *, r: Any = None,  # noqa: E741
          return_r: bool = False) -> Variable | tuple[Variable, Any]:
    """Randomized leaky rectified linear unit, ``max(x, r * x)`` with ``r ~ U(l, u)``.

    While training, each element draws its own slope ``r`` from the device's
    seeded generator (unless ``r`` is given); otherwise ``r`` is ``(l + u) / 2``.

    Args:
        x: Input variable or array of floating dtype.
        l: Lower bound of the uniform distribution of ``r`` (in ``[0, 1)``).
        u: Upper bound of that distribution (in ``[0, 1)``, above ``l``).
        r: Slopes to use instead of drawing them: an array of the shape of ``x``
            on its device, cast to its dtype (used while training only).
        return_r: Also return the slopes used, to pass them again as ``r``.

    Returns:
        The output variable, or ``(output, r)`` when ``return_r`` is ``True``.
    """
    func = RReLU(l, u, r)
    y = func.apply((x,))[0]
    return (y, func.r) if return_r else y
