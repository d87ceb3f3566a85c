"""negative_sampling and black_out: fixed and drawn negatives, ignored labels, dtypes, errors."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check, utils
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType
from polychain_conformance.cases.loss_structured import (
    _black_out,
    _FixedSampler,
    _negative_sampling,
)

SAMPLES = numpy.array([[4, 1, 3], [0, 4, 4], [2, 3, 1]], 'int32')


def _ns_inputs(rng, device, dtype, t=(0, 2, -1)):
    x = rng.uniform(-1, 1, (3, 4))
    w = rng.uniform(-1, 1, (5, 4))
    return (x, numpy.asarray(t, 'int32'), w, device.send(x.astype(dtype)),
            device.send(numpy.asarray(t, 'int32')), device.send(w.astype(dtype)))


@pytest.mark.parametrize('reduce', ['sum', 'no'])
def test_negative_sampling_matches_numpy(device, dtype, rng, reduce):
    x, t, w, dx, dt, dw = _ns_inputs(rng, device, dtype)
    sampler = _FixedSampler(device.send(SAMPLES))
    y, samples = F.negative_sampling(dx, dt, dw, sampler, 2, reduce=reduce, return_samples=True)
    assert to_host(y.array).dtype == dtype
    numpy.testing.assert_allclose(
        to_host(y.array), _negative_sampling(x, t, w, _FixedSampler(SAMPLES), 2, reduce),
        rtol=1e-5)
    # The first column holds the labels; the drawn ids follow.
    expected = SAMPLES.copy()
    expected[:, 0] = t
    numpy.testing.assert_array_equal(to_host(samples), expected)
    assert samples.dtype == device.send(SAMPLES).dtype


def test_negative_sampling_ignores_label_minus_one(device, rng):
    _, _, _, dx, dt, dw = _ns_inputs(rng, device, 'float64')
    x = polychain.Variable(dx)
    loss = F.negative_sampling(x, dt, dw, _FixedSampler(device.send(SAMPLES)), 2, reduce='no')
    assert float(to_host(loss.array)[2]) == 0.0
    F.sum(loss).backward()
    numpy.testing.assert_array_equal(to_host(x.grad)[2], numpy.zeros(4))
    assert numpy.abs(to_host(x.grad)[:2]).sum() > 0


def test_negative_sampling_gradients(device, rng):
    _, _, _, dx, dt, dw = _ns_inputs(rng, device, 'float64')
    sampler = _FixedSampler(device.send(SAMPLES))

    def f(x, w):
        return F.negative_sampling(x, dt, w, sampler, 2, reduce='no')

    gy = device.send(rng.normal(size=3))
    gradient_check.check_backward(f, (dx, dw), gy, atol=1e-7, rtol=1e-6)
    gradient_check.check_double_backward(
        f, (dx, dw), gy, (device.send(rng.normal(size=(3, 4))),
                          device.send(rng.normal(size=(5, 4)))), atol=1e-7, rtol=1e-6)


def test_negative_sampling_of_float16_is_computed_in_float32(rng):
    x, t, w, dx, dt, dw = _ns_inputs(rng, polychain.get_device('@numpy'), 'float16')
    y = F.negative_sampling(dx, dt, dw, _FixedSampler(SAMPLES), 2)
    assert y.dtype == numpy.float16
    expected = _negative_sampling(x.astype('float16').astype('float32'), t,
                                  w.astype('float16').astype('float32'), _FixedSampler(SAMPLES), 2)
    numpy.testing.assert_allclose(y.array, expected, rtol=1e-3)


def test_negative_sampling_draws_from_a_walker_alias_on_the_device(device, rng):
    _, _, _, dx, dt, dw = _ns_inputs(rng, device, 'float32', t=(0, 1, 2))
    sampler = utils.WalkerAlias([0.0, 0.0, 0.0, 1.0, 0.0], device=device)
    _, samples = F.negative_sampling(dx, dt, dw, sampler.sample, 4, return_samples=True)
    assert samples.shape == (3, 5)
    host = to_host(samples)
    numpy.testing.assert_array_equal(host[:, 0], [0, 1, 2])
    assert (host[:, 1:] == 3).all()


def test_negative_sampling_errors(rng):
    _, _, _, dx, dt, dw = _ns_inputs(rng, polychain.get_device('@numpy'), 'float32')
    sampler = _FixedSampler(SAMPLES)
    with pytest.raises(ValueError, match="expected reduce 'sum' or 'no'"):
        F.negative_sampling(dx, dt, dw, sampler, 2, reduce='mean')
    with pytest.raises(InvalidType):
        F.negative_sampling(dx, dt, dw.astype('float64'), sampler, 2)
    with pytest.raises(InvalidType):
        F.negative_sampling(dx, dt[:2], dw, sampler, 2)


BO_SAMPLES = numpy.array([[4, 1], [0, 3], [2, 4]], 'int32')


@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_black_out_matches_numpy(device, dtype, rng, reduce):
    x, w = rng.uniform(-1, 1, (3, 4)), rng.uniform(-1, 1, (5, 4))
    t = numpy.array([0, 2, 1], 'int32')
    y = F.black_out(device.send(x.astype(dtype)), device.send(t), device.send(w.astype(dtype)),
                    polychain.Variable(device.send(BO_SAMPLES), requires_grad=False), reduce)
    assert y.shape == (() if reduce == 'mean' else (3,))
    assert to_host(y.array).dtype == dtype
    numpy.testing.assert_allclose(to_host(y.array), _black_out(x, t, w, BO_SAMPLES, reduce),
                                  rtol=1e-5)


def test_black_out_gradients(device, rng):
    t, samples = device.send(numpy.array([0, 2, 1], 'int32')), device.send(BO_SAMPLES)
    gradient_check.check_backward(
        lambda x, w: F.black_out(x, t, w, samples, 'no'),
        (device.send(rng.uniform(-1, 1, (3, 4))), device.send(rng.uniform(-1, 1, (5, 4)))),
        device.send(rng.normal(size=3)), atol=1e-7, rtol=1e-6)


def test_black_out_rejects_an_unknown_reduce():
    with pytest.raises(ValueError, match="expected reduce 'mean' or 'no'"):
        F.black_out(numpy.zeros((3, 4), 'f'), numpy.zeros(3, 'i'), numpy.zeros((5, 4), 'f'),
                    BO_SAMPLES, 'sum')
