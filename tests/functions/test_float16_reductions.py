"""Reductions and losses of float16 batches whose sums overflow float16 but whose results do not.

Each case is computed in float16 on the device and in float64 on the host; value and
gradients must agree (float16 sums are accumulated in float32, as NumPy's mean does).
"""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F

N = 256  # 256 rows of a per-sample loss near 300 sum to ~77000 > 65504, float16's largest


def _labels(values):
    return numpy.asarray(values, 'int32')


# name, function of (inputs..., labels), float inputs, integer labels (or None)
CASES = [
    ('mean', lambda x: F.mean(x), [numpy.full((N, 1), 300.0)], None),
    ('average', lambda x: F.average(x), [numpy.full((N, 1), 300.0)], None),
    ('average_weights_all', lambda x, w: F.average(x, weights=w),
     [numpy.full((N, 2), 300.0), numpy.ones((N, 2))], None),
    ('average_weights_axis', lambda x, w: F.average(x, axis=0, weights=w),
     [numpy.full((N, 2), 300.0), numpy.ones(N)], None),
    ('mean_weights_axis', lambda x, w: F.mean(x, axis=0, weights=w),
     [numpy.full((N, 2), 300.0), numpy.ones(N)], None),
    ('mean_squared_error', lambda a, b: F.mean_squared_error(a, b),
     [numpy.full((N, 2), 17.25), numpy.zeros((N, 2))], None),
    ('mean_absolute_error', lambda a, b: F.mean_absolute_error(a, b),
     [numpy.full((N, 2), 300.0), numpy.zeros((N, 2))], None),
    ('softmax_cross_entropy', lambda x, t: F.softmax_cross_entropy(x, t),
     [numpy.tile([300.0, 0.0], (N, 1))], _labels(numpy.ones(N))),
    ('softmax_cross_entropy_unnormalized',
     lambda x, t: F.softmax_cross_entropy(x, t, normalize=False),
     [numpy.tile([300.0, 0.0], (N, 1))], _labels(numpy.ones(N))),
    ('sigmoid_cross_entropy', lambda x, t: F.sigmoid_cross_entropy(x, t),
     [numpy.full((N, 1), 300.0)], _labels(numpy.zeros((N, 1)))),
    ('hinge_L1', lambda x, t: F.hinge(x, t), [numpy.full((N, 2), 300.0)],
     _labels(numpy.zeros(N))),
    ('hinge_L2', lambda x, t: F.hinge(x, t, norm='L2'), [numpy.full((N, 2), 16.0)],
     _labels(numpy.zeros(N))),
    ('huber_loss', lambda a, b: F.huber_loss(a, b, 1.0), [numpy.full((N, 2), 300.0),
                                                         numpy.zeros((N, 2))], None),
    ('gaussian_nll_mean', lambda x, m, v: F.gaussian_nll(x, m, v, reduce='mean'),
     [numpy.full(N, 24.0), numpy.zeros(N), numpy.zeros(N)], None),
    ('gaussian_kl_divergence_mean', lambda m, v: F.gaussian_kl_divergence(m, v, reduce='mean'),
     [numpy.full(N, 24.0), numpy.zeros(N)], None),
    ('bernoulli_nll_mean', lambda x, y: F.bernoulli_nll(x, y, reduce='mean'),
     [numpy.ones(N), numpy.full(N, -300.0)], None),
]


def _run(device, function, inputs, labels, dtype):
    variables = [polychain.Variable(device.send(numpy.asarray(x, dtype))) for x in inputs]
    extra = () if labels is None else (device.send(labels),)
    y = function(*variables, *extra)
    y.grad = device.send(numpy.ones(y.shape, dtype))
    y.backward()
    host = polychain.get_device('@numpy').send
    return (numpy.asarray(host(y.array)), [numpy.asarray(host(v.grad)) for v in variables])


@pytest.mark.filterwarnings('ignore::RuntimeWarning')
@pytest.mark.parametrize('name, function, inputs, labels', CASES, ids=[c[0] for c in CASES])
def test_float16_loss_matches_float64(name, function, inputs, labels, device):
    if getattr(device.xp, 'float16', None) is None:
        pytest.skip(f'{device} has no float16')
    y, grads = _run(device, function, inputs, labels, 'float16')
    expected, expected_grads = _run(polychain.get_device('@numpy'), function, inputs, labels,
                                    'float64')
    assert y.dtype == numpy.float16
    numpy.testing.assert_allclose(y.astype('float64'), expected, rtol=1e-2, err_msg='forward')
    for i, (g, e) in enumerate(zip(grads, expected_grads)):
        assert g.dtype == numpy.float16
        numpy.testing.assert_allclose(g.astype('float64'), e, rtol=1e-2, atol=1e-4,
                                      err_msg=f'gradient of input {i}')
