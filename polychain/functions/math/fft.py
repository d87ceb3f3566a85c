"""fft and ifft of complex arrays given as (real, imaginary) pairs, along the last axis."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.utils.type_check import InvalidType, expect_float
from polychain.variable import Variable


class FFT(FunctionNode):
    """The discrete Fourier transform (``method='fft'``) or its inverse (``'ifft'``) of
    ``real + 1j * imag`` over the last axis; outputs the real and imaginary parts.

    Both are linear: the gradient of ``fft`` is ``n`` times the ``ifft`` of the output
    gradient, that of ``ifft`` the ``fft`` of it divided by ``n``.
    """

    def __init__(self, method: str) -> None:
        if method not in ('fft', 'ifft'):
            raise ValueError(f"FFT: expected method 'fft' or 'ifft', received {method!r}")
        self._method = method

    def check_type_forward(self, in_types):
        real, imag = in_types
        expect_float(self.xp, real, 'real')
        if real.dtype != imag.dtype or real.shape != imag.shape:
            raise InvalidType('real and imag of one dtype and shape',
                              f'{real.dtype} {real.shape} and {imag.dtype} {imag.shape}')

    def forward(self, inputs):
        real, imag = inputs
        xp = self.xp
        self._n = real.shape[-1]
        complex_dtype = xp.complex128 if real.dtype == xp.float64 else xp.complex64
        x = xp.astype(real, complex_dtype) + xp.astype(imag, complex_dtype) * 1j
        y = getattr(xp.fft, self._method)(x)
        return xp.astype(xp.real(y), real.dtype), xp.astype(xp.imag(y), real.dtype)

    def backward(self, indexes, grad_outputs):
        g_real, g_imag = grad_outputs
        if g_real is None:
            g_real = self.xp.zeros_like(g_imag.array)
        elif g_imag is None:
            g_imag = self.xp.zeros_like(g_real.array)
        inverse = 'ifft' if self._method == 'fft' else 'fft'
        scale = float(self._n) if self._method == 'fft' else 1.0 / self._n
        gx_real, gx_imag = FFT(inverse).apply((g_real, g_imag))
        return gx_real * scale, gx_imag * scale


def fft(x: tuple[Any, Any]) -> tuple[Variable, Variable]:
    """Discrete Fourier transform over the last axis of a complex array.

    Args:
        x: A pair ``(real, imag)`` of variables or arrays of one floating dtype and shape,
            the real and imaginary parts of the input.

    Returns:
        The real and imaginary parts of the transform, in the dtype of the input.
    """
    real, imag = x
    return FFT('fft').apply((real, imag))


def ifft(x: tuple[Any, Any]) -> tuple[Variable, Variable]:
    """Inverse discrete Fourier transform over the last axis of a complex array.

    Args:
        x: A pair ``(real, imag)`` of variables or arrays of one floating dtype and shape,
            the real and imaginary parts of the input.

    Returns:
        The real and imaginary parts of the inverse transform, in the dtype of the input.
    """
    real, imag = x
    return FFT('ifft').apply((real, imag))
