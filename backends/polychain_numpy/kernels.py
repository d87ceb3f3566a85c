"""Fast NumPy kernels that override polychain's generic Array API implementations by name."""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy
from numpy.lib.stride_tricks import sliding_window_view


def im2col_nd(x: numpy.ndarray, ksize: tuple[int, ...], stride: tuple[int, ...],
              pad: tuple[int, ...], dilate: tuple[int, ...], pad_value: Any = 0) -> numpy.ndarray:
    """Patches of ``x`` (N, C, *spatial) as (N, C, *ksize, *out_size), through strided views."""
    nd = len(ksize)
    padding = ((0, 0), (0, 0)) + tuple((p, p) for p in pad)
    if any(pad):
        x = numpy.pad(x, padding, constant_values=pad_value)
    window = tuple(d * (k - 1) + 1 for k, d in zip(ksize, dilate))
    view = sliding_window_view(x, window, axis=tuple(range(2, 2 + nd)))
    view = view[(Ellipsis,) + tuple(slice(None, None, d) for d in dilate)]
    view = view[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in stride)]
    axes = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    return numpy.ascontiguousarray(view.transpose(axes))


KERNELS = {'im2col_nd': im2col_nd}


def erf(x: numpy.ndarray) -> numpy.ndarray:
    """The Gauss error function through SciPy, in the dtype of ``x``."""
    from scipy.special import erf as scipy_erf
    return numpy.asarray(scipy_erf(x), dtype=x.dtype)


if importlib.util.find_spec('scipy') is not None:
    KERNELS['erf'] = erf


def _scipy_special(name: str) -> Any:
    """SciPy's ``scipy.special.<name>`` returning arrays in the dtype of ``x``."""
    def kernel(*args: Any) -> numpy.ndarray:
        import scipy.special
        x = args[-1]
        return numpy.asarray(getattr(scipy.special, name)(*args), dtype=x.dtype)
    kernel.__name__ = name
    return kernel


if importlib.util.find_spec('scipy') is not None:
    KERNELS.update({'erfc': _scipy_special('erfc'), 'erfinv': _scipy_special('erfinv'),
                    'lgamma': _scipy_special('gammaln'), 'digamma': _scipy_special('psi'),
                    'polygamma': _scipy_special('polygamma')})
