"""The node behind batch, layer and group normalization: standardize, then scale and shift."""

from __future__ import annotations

from typing import Any

from polychain.configuration import config
from polychain.function_node import FunctionNode
from polychain.functions.array.broadcast import sum_to
from polychain.functions.array.cast import cast
from polychain.functions.array.reshape import reshape
from polychain.functions.math.power import rsqrt
from polychain.functions.math.sum import mean, sum
from polychain.variable import Variable


def as_dtype(v: Variable, dtype: Any) -> Variable:
    """``v`` cast to ``dtype`` (differentiably) when its dtype differs."""
    return v if v.dtype == dtype else cast(v, dtype)


class AffineStandardization(FunctionNode):
    """``gamma * (x - mean) / sqrt(var + eps) + beta``, statistics taken over ``axes``.

    Inputs are ``(x, gamma, beta)``; ``gamma`` and ``beta`` are reshaped to
    ``parameter_shape`` (which broadcasts against ``x``). The variance is the
    biased one. After forward, ``mean`` and ``var`` hold the statistics of the
    batch (with ``x``'s dimensions, length 1 on ``axes``).

    Subclasses change the scale and shift applied to the standardized input
    through :meth:`scale_and_shift`, :meth:`scale_variable` and
    :meth:`parameter_gradients`.

    Args:
        axes: The sorted axes of ``x`` the statistics reduce.
        parameter_shape: ``gamma``'s shape padded with ones to broadcast against ``x``.
        eps: Added to the variance.
    """

    _retain_input_indexes = (0, 1)
    mean: Any = None
    var: Any = None

    def __init__(self, axes: tuple[int, ...], parameter_shape: tuple[int, ...],
                 eps: float) -> None:
        self.axes = axes
        self.parameter_shape = parameter_shape
        self.eps = eps

    def forward(self, inputs):
        xp = self.xp
        x, gamma, beta = inputs
        # Batch normalization's scale has one value per reduced slice: the input
        # gradient then shares the two reductions of the parameter gradients.
        self._per_channel = self.parameter_shape == tuple(
            1 if i in self.axes else n for i, n in enumerate(x.shape))
        self.mean = xp.mean(x, axis=self.axes, keepdims=True)
        centred = x - self.mean
        self.var = xp.mean(centred * centred, axis=self.axes, keepdims=True)
        self._inv_std = 1.0 / xp.sqrt(self.var + self.eps)
        scale, shift = self.scale_and_shift(gamma, beta)
        y = scale * (centred * self._inv_std) + shift
        return (y if y.dtype == x.dtype else xp.astype(y, x.dtype)),

    def scale_and_shift(self, gamma: Any, beta: Any) -> tuple[Any, Any]:
        """The arrays that multiply and then shift the standardized input (aligned shapes)."""
        xp = self.xp
        return xp.reshape(gamma, self.parameter_shape), xp.reshape(beta, self.parameter_shape)

    def scale_variable(self, gamma: Variable) -> Variable:
        """The scale of :meth:`scale_and_shift` as a function of the Variable ``gamma``."""
        return reshape(gamma, self.parameter_shape)

    def parameter_gradients(self, gamma: Variable, gscale: Variable,
                            gshift: Variable) -> tuple[Variable, Variable]:
        """Gradients of ``gamma`` and ``beta`` from those of the (aligned) scale and shift."""
        return reshape(gscale, gamma.shape), reshape(gshift, gamma.shape)

    def _standardized(self, x: Variable) -> tuple[Variable, Variable]:
        """``(x_hat, inv_std)`` as Variables; differentiable when backward is differentiated."""
        if not config.enable_backprop:
            inv_std = self._inv_std
            return (Variable((x.array - self.mean) * inv_std, requires_grad=False),
                    Variable(inv_std, requires_grad=False))
        centred = x - mean(x, axis=self.axes, keepdims=True)
        inv_std = rsqrt(mean(centred * centred, axis=self.axes, keepdims=True) + self.eps)
        return centred * inv_std, inv_std

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        x, gamma = self.get_retained_inputs()
        x_hat, inv_std = self._standardized(x)
        # Gradients are computed in x's dtype and cast to the parameters' at the end.
        scale = self.scale_variable(as_dtype(gamma, x.dtype))
        if self._per_channel:
            gshift = sum(gy, axis=self.axes, keepdims=True)
            gscale = sum(gy * x_hat, axis=self.axes, keepdims=True)
            count = x.size // gamma.size
            gx = (scale * inv_std) * (gy - (gshift + x_hat * gscale) * (1.0 / count))
        else:
            g = gy * scale
            gx = inv_std * (g - mean(g, axis=self.axes, keepdims=True)
                            - x_hat * mean(g * x_hat, axis=self.axes, keepdims=True))
            gscale = sum_to(gy * x_hat, self.parameter_shape)
            gshift = sum_to(gy, self.parameter_shape)
        gx = as_dtype(gx, x.dtype)
        if indexes == (0,):
            return gx,
        ggamma, gbeta = self.parameter_gradients(gamma, gscale, gshift)
        grads = (gx, as_dtype(ggamma, gamma.dtype), as_dtype(gbeta, gamma.dtype))
        return tuple(grads[i] for i in indexes)
