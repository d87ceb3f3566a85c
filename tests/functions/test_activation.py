"""relu, sigmoid and tanh against NumPy, with first and second derivatives."""

import numpy
import pytest

import polychain.functions as F

from .function_checks import FunctionCase, away_from_zero, check_forward, check_gradients

CASES = [
    FunctionCase('relu', F.relu, lambda x: numpy.maximum(x, 0), ((3, 4),),
                 samplers=away_from_zero(), eps=1e-4),
    FunctionCase('relu_0d', F.relu, lambda x: numpy.maximum(x, 0), ((),),
                 samplers=away_from_zero(), eps=1e-4),
    FunctionCase('sigmoid', F.sigmoid, lambda x: 1 / (1 + numpy.exp(-x)), ((3, 4),)),
    FunctionCase('sigmoid_large', F.sigmoid, lambda x: 1 / (1 + numpy.exp(-x)), ((2, 5),),
                 samplers=lambda rng, shape: rng.uniform(-8, 8, size=shape)),
    FunctionCase('tanh', F.tanh, numpy.tanh, ((3, 4),)),
    FunctionCase('tanh_3d', F.tanh, numpy.tanh, ((2, 3, 2),)),
]


@pytest.mark.parametrize('case', CASES, ids=str)
def test_forward(case, device, dtype, rng):
    check_forward(case, device, dtype, rng)


@pytest.mark.parametrize('case', CASES, ids=str)
def test_gradients(case, device, dtype, tolerance, rng):
    check_gradients(case, device, dtype, tolerance, rng)
