"""generate_matrix."""

from __future__ import annotations

import numpy
import pytest

from polychain import testing


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64, numpy.complex128])
@pytest.mark.parametrize('shape, s_shape', [((3, 2), (2,)), ((2, 4, 3), (2, 3)),
                                            ((2, 2, 2), (1,))])
def test_generate_matrix_has_the_singular_values(dtype, shape, s_shape):
    s = numpy.random.uniform(0.5, 1.5, s_shape)
    x = testing.generate_matrix(shape, dtype=dtype, singular_values=s)
    assert x.shape == shape and x.dtype == dtype
    actual = numpy.linalg.svd(x.astype(numpy.complex128), compute_uv=False)
    expected = numpy.sort(numpy.broadcast_to(s, actual.shape), axis=-1)[..., ::-1]
    numpy.testing.assert_allclose(actual, expected, rtol=1e-5)


@pytest.mark.parametrize('args, kwargs, error', [
    (((2, 2),), {}, TypeError),
    (((2,),), {'singular_values': 1}, ValueError),
    (((2, 2), numpy.int32), {'singular_values': 1}, TypeError),
    (((2, 2),), {'singular_values': 1j}, TypeError),
    (((2, 2),), {'singular_values': [1, -1]}, ValueError),
    (((2, 2),), {'singular_values': numpy.ones(3)}, ValueError),
])
def test_generate_matrix_rejects_bad_arguments(args, kwargs, error):
    with pytest.raises(error):
        testing.generate_matrix(*args, **kwargs)
