"""gaussian: a differentiable sample of N(mean, exp(ln_var)) by reparametrisation."""

from __future__ import annotations

from typing import Any

from polychain.functions.loss.input_checks import check_same_shapes
from polychain.functions.math.exponential import exp
from polychain.functions.noise.masks import as_variable
from polychain.variable import Variable


def gaussian(mean: Any, ln_var: Any, eps: Any = None,
             return_eps: bool = False) -> Variable | tuple[Variable, Any]:
    """Samples ``mean + exp(ln_var / 2) * eps`` with standard normal ``eps``.

    The noise comes from the device's seeded generator (``device.random``);
    gradients flow to ``mean`` and ``ln_var``.

    Args:
        mean: Means, floating dtype.
        ln_var: Logarithms of the variances, of ``mean``'s shape and dtype.
        eps: The standard normal noise to use (``ln_var``'s shape and dtype,
            on its device) instead of drawing it.
        return_eps: Also return the noise used.

    Returns:
        The sample, or ``(sample, eps)`` with ``return_eps``.
    """
    mean, ln_var = as_variable(mean), as_variable(ln_var)
    check_same_shapes('gaussian', ('mean', 'ln_var'), mean, ln_var)
    if eps is None:
        eps = ln_var.device.random.normal(ln_var.shape, ln_var.dtype)
    elif isinstance(eps, Variable):
        eps = eps.array
    y = mean + exp(ln_var * 0.5) * eps
    return (y, eps) if return_eps else y
