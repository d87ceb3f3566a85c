"""fixed_batch_normalization checks its parameters' dtypes only while types are checked."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.utils.type_check import InvalidType


def test_mixed_parameter_dtypes_are_rejected_only_with_type_checks_on():
    x = numpy.linspace(-1, 1, 6, dtype=numpy.float16).reshape(2, 3)
    gamma = numpy.full(3, 2, numpy.float32)
    beta = numpy.full(3, 0.5, numpy.float32)
    mean = numpy.full(3, 0.25, numpy.float16)
    var = numpy.ones(3, numpy.float16)
    with pytest.raises(InvalidType, match='mean.dtype'):
        F.fixed_batch_normalization(x, gamma, beta, mean, var)
    with polychain.using_config('type_check', False):
        y = F.fixed_batch_normalization(x, gamma, beta, mean, var, eps=0)
    assert y.dtype == numpy.float16
    numpy.testing.assert_allclose(y.array, (x.astype('f') - 0.25) * 2 + 0.5, rtol=1e-3)
