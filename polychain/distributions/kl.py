"""The registry of KL divergences between pairs of distribution types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.distributions.distribution import Distribution
from polychain.variable import Variable

_KL_FUNCTIONS: dict[tuple[type, type], Callable[[Any, Any], Variable]] = {}


def register_kl(dist1: type, dist2: type) -> Callable:
    """Decorator that registers a function computing ``KL(p || q)``.

    The function takes an instance of ``dist1`` and one of ``dist2``; it is found by
    :func:`kl_divergence` for these types and their subclasses.

    Args:
        dist1 (type): The class of the first distribution ``p``.
        dist2 (type): The class of the second distribution ``q``.
    """
    for name, cls in (('dist1', dist1), ('dist2', dist2)):
        if not (isinstance(cls, type) and issubclass(cls, Distribution)):
            raise TypeError(f'register_kl: expected a Distribution subclass as {name}, '
                            f'received {cls!r}')

    def register(function: Callable[[Any, Any], Variable]) -> Callable[[Any, Any], Variable]:
        _KL_FUNCTIONS[dist1, dist2] = function
        return function
    return register


def kl_divergence(dist1: Distribution, dist2: Distribution) -> Variable:
    """The Kullback-Leibler divergence ``KL(dist1 || dist2)``.

    The pair registered for the most specific classes of the two distributions is used.

    Args:
        dist1 (~polychain.distributions.Distribution): The first distribution ``p``.
        dist2 (~polychain.distributions.Distribution): The second distribution ``q``.

    Returns:
        ~polychain.Variable: The divergence, of the distributions' batch shape.

    Raises:
        NotImplementedError: No KL divergence is registered for the two types.
    """
    for cls1 in type(dist1).__mro__:
        for cls2 in type(dist2).__mro__:
            function = _KL_FUNCTIONS.get((cls1, cls2))
            if function is not None:
                return function(dist1, dist2)
    raise NotImplementedError(f'kl_divergence: no KL divergence is registered between '
                              f'{type(dist1).__name__} and {type(dist2).__name__}')


def cross_entropy(dist1: Distribution, dist2: Distribution) -> Variable:
    """The cross entropy ``H(dist1, dist2) = H(dist1) + KL(dist1 || dist2)``.

    Args:
        dist1 (~polychain.distributions.Distribution): The distribution ``p``.
        dist2 (~polychain.distributions.Distribution): The distribution ``q``.

    Returns:
        ~polychain.Variable: The cross entropy, of the distributions' batch shape.

    Raises:
        NotImplementedError: No KL divergence is registered for the two types.
    """
    return dist1.entropy + kl_divergence(dist1, dist2)
