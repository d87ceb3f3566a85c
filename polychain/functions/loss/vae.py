"""Losses of variational autoencoders: bernoulli_nll, gaussian_kl_divergence, gaussian_nll."""

from __future__ import annotations

import math
from typing import Any

from polychain.functions.activation.sigmoid import sigmoid
from polychain.functions.loss.input_checks import check_reduce, check_same_shapes
from polychain.functions.loss.pairwise import PairwiseLoss
from polychain.functions.math.exponential import exp
from polychain.functions.math.sum import mean as mean_
from polychain.functions.math.sum import sum as sum_
from polychain.variable import Variable

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
_REDUCE = ('sum', 'mean', 'no')


class BernoulliNLL(PairwiseLoss):
    """``softplus(y) - x * y`` elementwise: ``-log B(x; p=sigmoid(y))``."""

    def forward(self, inputs):
        xp = self.xp
        x, y = inputs
        return xp.log1p(xp.exp(-xp.abs(y))) + xp.maximum(y, 0.0) - x * y,

    def backward(self, indexes, grad_outputs):
        x, y = self.get_retained_inputs()
        gloss = grad_outputs[0]
        return -y * gloss, (sigmoid(y) - x) * gloss


def _reduced(loss: Variable, reduce: str) -> Variable:
    if reduce == 'sum':
        return sum_(loss)
    return mean_(loss) if reduce == 'mean' else loss


def bernoulli_nll(x: Any, y: Any, reduce: str = 'sum') -> Variable:
    """Negative log-likelihood of data ``x`` under Bernoulli distributions.

    The parameters are given before the sigmoid (``p = sigmoid(y)``), and the
    loss is computed stably as ``softplus(y) - x * y``.

    Args:
        x: Data, floating dtype (values in ``[0, 1]``).
        y: Pre-sigmoid parameters of ``x``'s shape and dtype.
        reduce: ``'sum'`` for the total, ``'mean'`` for the mean, ``'no'`` for the loss
            of each element.

    Returns:
        A scalar variable, or one of ``x``'s shape with ``reduce='no'``.
    """
    check_reduce('bernoulli_nll', reduce, _REDUCE)
    return _reduced(BernoulliNLL().apply((x, y))[0], reduce)


def gaussian_kl_divergence(mean: Any, ln_var: Any, reduce: str = 'sum') -> Variable:
    """KL divergence of diagonal Gaussians ``N(mean, exp(ln_var))`` from ``N(0, I)``.

    Elementwise it is ``(mean ** 2 + exp(ln_var) - ln_var - 1) / 2``.

    Args:
        mean: Means, floating dtype.
        ln_var: Logarithms of the variances, of ``mean``'s shape and dtype.
        reduce: ``'sum'`` for the total, ``'mean'`` for the mean, ``'no'`` for each
            element.

    Returns:
        A scalar variable, or one of ``mean``'s shape with ``reduce='no'``.
    """
    check_reduce('gaussian_kl_divergence', reduce, _REDUCE)
    check_same_shapes('gaussian_kl_divergence', ('mean', 'ln_var'), mean, ln_var)
    mean, ln_var = _variables(mean, ln_var)
    loss = (mean * mean + exp(ln_var) - ln_var - 1.0) * 0.5
    return _reduced(loss, reduce)


def gaussian_nll(x: Any, mean: Any, ln_var: Any, reduce: str = 'sum') -> Variable:
    """Negative log-likelihood of ``x`` under diagonal Gaussians ``N(mean, exp(ln_var))``.

    Elementwise it is ``(ln_var + log(2 pi)) / 2 + (x - mean) ** 2 * exp(-ln_var) / 2``.

    Args:
        x: Data, floating dtype.
        mean: Means, of ``x``'s shape and dtype.
        ln_var: Logarithms of the variances, of ``x``'s shape and dtype.
        reduce: ``'sum'`` for the total, ``'mean'`` for the mean, ``'no'`` for each
            element.

    Returns:
        A scalar variable, or one of ``x``'s shape with ``reduce='no'``.
    """
    check_reduce('gaussian_nll', reduce, _REDUCE)
    check_same_shapes('gaussian_nll', ('x', 'mean', 'ln_var'), x, mean, ln_var)
    x, mean, ln_var = _variables(x, mean, ln_var)
    diff = x - mean
    loss = ln_var * 0.5 + _HALF_LOG_2PI + diff * diff * exp(-ln_var) * 0.5
    return _reduced(loss, reduce)


def _variables(*xs: Any) -> tuple[Variable, ...]:
    """Arrays wrapped as Variables that need no gradient, so that operators apply to them."""
    return tuple(x if isinstance(x, Variable) else Variable(x, requires_grad=False) for x in xs)
