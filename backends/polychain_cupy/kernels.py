"""CuPy kernels that override polychain's generic Array API implementations by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _special(name: str) -> Callable[..., Any]:
    """``cupyx.scipy.special.<name>``, imported on first use, in the dtype of its argument
    (CuPy computes float16 in a wider type and returns that)."""
    def kernel(x: Any) -> Any:
        import cupyx.scipy.special
        return getattr(cupyx.scipy.special, name)(x).astype(x.dtype, copy=False)
    kernel.__name__ = name
    return kernel


def polygamma(n: int, x: Any) -> Any:
    """The ``n``-th derivative of digamma; ``n`` becomes an array like ``x``."""
    import cupy
    import cupyx.scipy.special
    order = cupy.full(x.shape, n, dtype=x.dtype)
    return cupyx.scipy.special.polygamma(order, x).astype(x.dtype, copy=False)


#: Kernels by name.
KERNELS: dict[str, Callable[..., Any]] = {
    'erf': _special('erf'),
    'erfc': _special('erfc'),
    'erfinv': _special('erfinv'),
    'lgamma': _special('gammaln'),
    'digamma': _special('digamma'),
    'polygamma': polygamma,
}
