"""exp, log and sqrt against NumPy, with first and second derivatives."""

import numpy
import pytest

import polychain.functions as F

from .function_checks import FunctionCase, check_forward, check_gradients, uniform

CASES = [
    FunctionCase('exp', F.exp, numpy.exp, ((3, 4),)),
    FunctionCase('exp_0d', F.exp, numpy.exp, ((),)),
    FunctionCase('log', F.log, numpy.log, ((3, 4),), samplers=uniform(0.5, 2.0)),
    FunctionCase('sqrt', F.sqrt, numpy.sqrt, ((3, 4),), samplers=uniform(0.5, 2.0)),
]


@pytest.mark.parametrize('case', CASES, ids=str)
def test_forward(case, device, dtype, rng):
    check_forward(case, device, dtype, rng)


@pytest.mark.parametrize('case', CASES, ids=str)
def test_gradients(case, device, dtype, tolerance, rng):
    check_gradients(case, device, dtype, tolerance, rng)
