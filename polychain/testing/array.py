"""``assert_allclose`` for arrays and Variables of any backend."""

from __future__ import annotations

import io
from typing import Any

import numpy

from polychain.backend.registry import to_host


def as_host_array(value: Any) -> numpy.ndarray:
    """``value`` (a Variable, an array of any backend, a scalar or a nested list of numbers)
    as a ``numpy.ndarray``."""
    from polychain.variable import Variable
    if isinstance(value, Variable):
        value = value.array
    if isinstance(value, (numpy.ndarray, numpy.generic, bool, int, float, complex, list)):
        return numpy.asarray(value)
    return numpy.asarray(to_host(value))


def as_noncontiguous_array(array: Any) -> Any:
    """A copy of ``array`` that is neither C- nor F-contiguous, where that is possible.

    Arrays of libraries with strides (NumPy, CuPy) of more than one element
    are copied into every other element of a buffer twice their size; other
    arrays (JAX's have no layout), ``None`` and arrays of at most one element
    come back as they are. Lists and tuples are converted element-wise.
    """
    if isinstance(array, (list, tuple)):
        return type(array)(as_noncontiguous_array(a) for a in array)
    if array is None or not hasattr(array, 'strides') or array.size <= 1:
        return array
    from polychain.backend import get_array_module
    xp = get_array_module(array)
    buffer = xp.empty(tuple(2 * n for n in array.shape), dtype=array.dtype)
    view = buffer[tuple(slice(None, None, 2) for _ in array.shape)]
    view[...] = array
    return view


#: Chainer's name of :func:`as_noncontiguous_array`.
_as_noncontiguous_array = as_noncontiguous_array


def assert_allclose(x: Any, y: Any, atol: float = 1e-5, rtol: float = 1e-4,
                    verbose: bool = True) -> None:
    """Asserts that ``x`` and ``y`` are equal within ``atol + rtol * |y|`` element-wise.

    Both are copied to the host first, so arrays of different backends can be
    compared.

    Args:
        x: The actual value: an array of any backend, a Variable or a scalar.
        y: The expected value, likewise.
        atol: Absolute tolerance.
        rtol: Relative tolerance.
        verbose: Include the conflicting values in the message.

    Raises:
        AssertionError: The values differ; the message gives the shapes and
            dtypes, the worst element with its errors and tolerances, and
            both arrays.
    """
    x_host, y_host = as_host_array(x), as_host_array(y)
    try:
        numpy.testing.assert_allclose(x_host, y_host, atol=atol, rtol=rtol, verbose=verbose)
    except AssertionError as error:
        raise AssertionError(_describe_mismatch(x_host, y_host, atol, rtol, error)) from None


def _describe_mismatch(x: numpy.ndarray, y: numpy.ndarray, atol: float, rtol: float,
                       error: AssertionError) -> str:
    out = io.StringIO()
    out.write(f'{error}\n\nassert_allclose failed:\n'
              f'  shape: {x.shape} {y.shape}\n  dtype: {x.dtype} {y.dtype}\n')
    if x.shape == y.shape and x.size:
        xx = numpy.atleast_1d(x).astype(numpy.float64)
        yy = numpy.atleast_1d(y).astype(numpy.float64)
        with numpy.errstate(invalid='ignore'):
            abs_err = numpy.abs(xx - yy)
            excess = numpy.where(numpy.isnan(abs_err), numpy.inf,
                                 abs_err - (atol + rtol * numpy.abs(yy)))
        i = tuple(int(k) for k in numpy.unravel_index(numpy.argmax(excess), excess.shape))
        rel_err = 'inf' if yy[i] == 0 else abs_err[i] / abs(yy[i])
        out.write(f'  i: {i}\n  x[i]: {xx[i]}\n  y[i]: {yy[i]}\n'
                  f'  relative error[i]: {rel_err}\n  absolute error[i]: {abs_err[i]}\n'
                  f'  relative tolerance * |y[i]|: {rtol * abs(yy[i])}\n'
                  f'  absolute tolerance: {atol}\n'
                  f'  total tolerance: {atol + rtol * abs(yy[i])}\n')
    with numpy.printoptions(threshold=10000):
        out.write('x: ' + numpy.array2string(x, prefix='x: ') + '\n')
        out.write('y: ' + numpy.array2string(y, prefix='y: ') + '\n')
    return out.getvalue()
