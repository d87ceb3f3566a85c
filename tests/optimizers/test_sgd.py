"""SGD and the momentum family: three steps against the formulas."""

import numpy
import pytest

from polychain import optimizers
from polychain.backend import to_host

from .stepping import assert_steps_close, fixed_values, run_single


def sgd_reference(p, grads, lr):
    out = []
    for g in grads:
        p = p - lr * g
        out.append(p)
    return out


def momentum_reference(p, grads, lr, momentum):
    v, out = numpy.zeros_like(p), []
    for g in grads:
        v = momentum * v - lr * g
        p = p + v
        out.append(p)
    return out


def corrected_momentum_reference(p, grads, lr, momentum):
    v, out = numpy.zeros_like(p), []
    for g in grads:
        v = momentum * v - g
        p = p + lr * v
        out.append(p)
    return out


def nesterov_reference(p, grads, lr, momentum):
    v, out = numpy.zeros_like(p), []
    for g in grads:
        v = momentum * v - lr * g
        p = p + momentum * momentum * v - (1 + momentum) * lr * g
        out.append(p)
    return out


@pytest.mark.parametrize(('make', 'reference'), [
    (lambda: optimizers.SGD(), lambda p, gs: sgd_reference(p, gs, 0.01)),
    (lambda: optimizers.SGD(lr=0.5), lambda p, gs: sgd_reference(p, gs, 0.5)),
    (lambda: optimizers.MomentumSGD(), lambda p, gs: momentum_reference(p, gs, 0.01, 0.9)),
    (lambda: optimizers.MomentumSGD(0.1, 0.5),
     lambda p, gs: momentum_reference(p, gs, 0.1, 0.5)),
    (lambda: optimizers.CorrectedMomentumSGD(),
     lambda p, gs: corrected_momentum_reference(p, gs, 0.01, 0.9)),
    (lambda: optimizers.NesterovAG(), lambda p, gs: nesterov_reference(p, gs, 0.01, 0.9)),
    (lambda: optimizers.NesterovAG(lr=0.2, momentum=0.7),
     lambda p, gs: nesterov_reference(p, gs, 0.2, 0.7)),
], ids=['SGD', 'SGD_lr', 'MomentumSGD', 'MomentumSGD_args', 'CorrectedMomentumSGD',
        'NesterovAG', 'NesterovAG_args'])
def test_three_steps_follow_the_formula(make, reference, device):
    param, grads = fixed_values()
    assert_steps_close(run_single(make(), device, param, grads), reference(param, grads))


def test_defaults_are_chainers():
    assert optimizers.SGD().lr == 0.01
    momentum = optimizers.MomentumSGD()
    assert (momentum.lr, momentum.momentum) == (0.01, 0.9)
    corrected = optimizers.CorrectedMomentumSGD()
    assert (corrected.lr, corrected.momentum) == (0.01, 0.9)
    nesterov = optimizers.NesterovAG()
    assert (nesterov.lr, nesterov.momentum) == (0.01, 0.9)


def test_float32_parameters_stay_float32(device):
    param, grads = fixed_values(dtype='float32')
    history = run_single(optimizers.MomentumSGD(), device, param, grads)
    assert all(p.dtype == numpy.float32 for p in history)
    assert_steps_close(history, momentum_reference(param.astype('float64'),
                                                   [g.astype('float64') for g in grads],
                                                   0.01, 0.9), rtol=1e-5, atol=1e-6)


def test_changing_lr_on_the_optimizer_reaches_every_rule(device):
    param, grads = fixed_values()
    optimizer = optimizers.SGD(lr=0.1)
    first = run_single(optimizer, device, param, grads[:1])[0]
    optimizer.lr = 1.0
    link = optimizer.target
    link.p0.grad = device.send(grads[1].copy())
    optimizer.update()
    numpy.testing.assert_allclose(to_host(link.p0.array), first - 1.0 * grads[1], rtol=1e-12)
