"""CuPy kernels that override polychain's generic Array API implementations (declared in
:mod:`polychain.backend.kernels`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.backend import kernels


def _special(name: str) -> Callable[..., Any]:
    """``cupyx.scipy.special.<name>``, imported on first use, in the dtype of its last argument
    (CuPy computes float16 in a wider type and returns that)."""
    def kernel(*args: Any) -> Any:
        import cupyx.scipy.special
        return getattr(cupyx.scipy.special, name)(*args).astype(args[-1].dtype, copy=False)
    kernel.__name__ = name
    return kernel


def polygamma(n: Any, x: Any) -> Any:
    """The ``n``-th derivative of digamma; ``n`` (an int or integer array) becomes an array
    of the dtype of ``x``."""
    import cupy
    import cupyx.scipy.special
    order = cupy.asarray(n, dtype=x.dtype)
    return cupyx.scipy.special.polygamma(order, x).astype(x.dtype, copy=False)


def cudnn_dropout_states(seed: int) -> Any:
    """New cuDNN dropout states on the current GPU, seeded with ``seed``
    (``chainer.backends.cuda.get_cudnn_dropout_states_core``).

    Raises:
        RuntimeError: CuPy has no cuDNN.
    """
    try:
        from cupy import cudnn
    except ImportError as error:
        raise RuntimeError(f'CuPy has no cuDNN ({error})') from None
    return cudnn.DropoutStates(None, seed)


#: The kernels of the CuPy backend.
KERNELS: dict[str, Callable[..., Any]] = {
    kernels.cudnn_dropout_states: cudnn_dropout_states,
    kernels.erf: _special('erf'),
    kernels.erfc: _special('erfc'),
    kernels.erfinv: _special('erfinv'),
    kernels.lgamma: _special('gammaln'),
    kernels.digamma: _special('digamma'),
    kernels.polygamma: polygamma,
    kernels.ndtr: _special('ndtr'),
    kernels.ndtri: _special('ndtri'),
    kernels.log_ndtr: _special('log_ndtr'),
    kernels.erfcx: _special('erfcx'),
    kernels.erfcinv: _special('erfcinv'),
    kernels.zeta: _special('zeta'),
}
