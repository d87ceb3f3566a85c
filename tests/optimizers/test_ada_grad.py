"""AdaGrad and AdaDelta: three steps against the formulas."""

import numpy
import pytest

from polychain import optimizers

from .stepping import assert_steps_close, fixed_values, run_single


def adagrad_reference(p, grads, lr, eps):
    h, out = numpy.zeros_like(p), []
    for g in grads:
        h = h + g * g
        p = p - lr * g / (numpy.sqrt(h) + eps)
        out.append(p)
    return out


def adadelta_reference(p, grads, rho, eps):
    msg, msdx, out = numpy.zeros_like(p), numpy.zeros_like(p), []
    for g in grads:
        msg = rho * msg + (1 - rho) * g * g
        dx = numpy.sqrt((msdx + eps) / (msg + eps)) * g
        msdx = rho * msdx + (1 - rho) * dx * dx
        p = p - dx
        out.append(p)
    return out


@pytest.mark.parametrize(('make', 'reference'), [
    (lambda: optimizers.AdaGrad(), lambda p, gs: adagrad_reference(p, gs, 0.001, 1e-8)),
    (lambda: optimizers.AdaGrad(lr=0.1, eps=1e-3),
     lambda p, gs: adagrad_reference(p, gs, 0.1, 1e-3)),
    (lambda: optimizers.AdaDelta(), lambda p, gs: adadelta_reference(p, gs, 0.95, 1e-6)),
    (lambda: optimizers.AdaDelta(rho=0.5, eps=1e-2),
     lambda p, gs: adadelta_reference(p, gs, 0.5, 1e-2)),
], ids=['AdaGrad', 'AdaGrad_args', 'AdaDelta', 'AdaDelta_args'])
def test_three_steps_follow_the_formula(make, reference, device):
    param, grads = fixed_values()
    assert_steps_close(run_single(make(), device, param, grads), reference(param, grads))


def test_defaults_are_chainers():
    assert (optimizers.AdaGrad().lr, optimizers.AdaGrad().eps) == (0.001, 1e-8)
    assert (optimizers.AdaDelta().rho, optimizers.AdaDelta().eps) == (0.95, 1e-6)
