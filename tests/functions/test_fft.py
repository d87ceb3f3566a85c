"""fft and ifft of (real, imag) pairs: values, dtypes, gradients and one-sided gradients."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _pair(device, rng, shape, dtype='float64'):
    return tuple(polychain.Variable(device.send(rng.uniform(-1, 1, shape).astype(dtype)))
                 for _ in range(2))


@pytest.mark.parametrize('method', ['fft', 'ifft'])
def test_matches_numpy_over_the_last_axis(device, rng, method):
    real, imag = _pair(device, rng, (2, 3, 4))
    y_real, y_imag = getattr(F, method)((real, imag))
    expected = getattr(numpy.fft, method)(to_host(real.array) + 1j * to_host(imag.array))
    numpy.testing.assert_allclose(to_host(y_real.array), expected.real, atol=1e-14)
    numpy.testing.assert_allclose(to_host(y_imag.array), expected.imag, atol=1e-14)


def test_keeps_float32(device, rng):
    y_real, y_imag = F.fft(_pair(device, rng, (4,), 'float32'))
    assert to_host(y_real.array).dtype == to_host(y_imag.array).dtype == numpy.float32


def test_ifft_inverts_fft_and_so_do_their_gradients(device, rng):
    real, imag = _pair(device, rng, (3, 5))
    back_real, back_imag = F.ifft(F.fft((real, imag)))
    numpy.testing.assert_allclose(to_host(back_real.array), to_host(real.array), atol=1e-14)
    F.sum(back_real * back_real + back_imag).backward()
    numpy.testing.assert_allclose(to_host(real.grad), 2 * to_host(real.array), atol=1e-13)
    numpy.testing.assert_allclose(to_host(imag.grad), numpy.ones((3, 5)), atol=1e-13)


def test_gradient_of_one_output_only(device, rng):
    # d/dx_k sum_j Re(fft(x))_j: only the j = 0 column of the DFT matrix sums to n
    real, imag = _pair(device, rng, (4,))
    y_real, _ = F.fft((real, imag))
    F.sum(y_real).backward()
    numpy.testing.assert_allclose(to_host(real.grad), [4.0, 0.0, 0.0, 0.0], atol=1e-13)
    numpy.testing.assert_allclose(to_host(imag.grad), [0.0, 0.0, 0.0, 0.0], atol=1e-13)


def test_rejects_parts_of_different_shapes():
    with pytest.raises(InvalidType):
        F.fft((numpy.zeros(3), numpy.zeros(4)))
