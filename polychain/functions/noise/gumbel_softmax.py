"""gumbel_softmax: a differentiable, relaxed sample of a categorical distribution."""

from __future__ import annotations

from typing import Any

from polychain.functions.activation.softmax import softmax
from polychain.functions.noise.masks import as_variable
from polychain.variable import Variable


def gumbel_softmax(log_pi: Any, tau: float = 0.1, axis: int = 1) -> Variable:
    """Gumbel-softmax sample ``softmax((log_pi + g) / tau, axis)`` with Gumbel noise ``g``.

    As ``tau`` goes to 0 the sample approaches a one-hot vector whose class
    ``k`` is drawn with probability ``softmax(log_pi)[k]``. The noise comes
    from the device's seeded generator (``device.random``).

    Args:
        log_pi: Unnormalised log probabilities, floating dtype.
        tau: The temperature, positive.
        axis: The class axis.

    Returns:
        A variable of ``log_pi``'s shape whose entries sum to 1 along ``axis``.
    """
    log_pi = as_variable(log_pi)
    xp = log_pi.device.namespace
    if log_pi.ndim < 1:
        return Variable(xp.ones_like(log_pi.array), requires_grad=False)
    tiny = float(xp.finfo(log_pi.dtype).smallest_normal)
    uniform = log_pi.device.random.uniform(log_pi.shape, log_pi.dtype, low=tiny, high=1.0)
    # A draw rounded up to 1 (float16 often) would make the noise infinite and the sample NaN.
    gumbel = -xp.log(xp.maximum(-xp.log(uniform), tiny))
    return softmax((log_pi + gumbel) * (1.0 / tau), axis=axis)
