"""M-SVAG: three steps against the formula."""

import numpy
import pytest

from polychain import optimizers

from .stepping import assert_steps_close, fixed_values, run_single


def msvag_reference(p, grads, lr=0.1, beta=0.9, eta=1.0, weight_decay_rate=0.0):
    m, v, out = numpy.zeros_like(p), numpy.zeros_like(p), []
    for t, g in enumerate(grads, start=1):
        b = beta ** t
        rho = min((1 - beta) ** 2 * (1 - b ** 2) / ((1 - b) ** 2 * (1 - beta ** 2)), 0.9999)
        m = m + (1 - beta) * (g - m)
        v = v + (1 - beta) * (g * g - v)
        mt, vt = m / (1 - b), v / (1 - b)
        s = (vt - mt ** 2) / (1 - rho)
        factor = numpy.clip(mt ** 2 / (mt ** 2 + rho * s), 0, 1)
        p = p - eta * (lr * mt * factor + weight_decay_rate * p)
        out.append(p)
    return out


@pytest.mark.parametrize('options', [{}, {'lr': 0.5, 'beta': 0.5, 'eta': 0.5,
                                          'weight_decay_rate': 0.1}], ids=['defaults', 'args'])
def test_three_steps_follow_the_formula(options, device):
    param, grads = fixed_values()
    assert_steps_close(run_single(optimizers.MSVAG(**options), device, param, grads),
                       msvag_reference(param, grads, **options))


def test_zero_gradient_gives_no_step(device):
    param, _ = fixed_values()
    zeros = [numpy.zeros_like(param)] * 3
    history = run_single(optimizers.MSVAG(), device, param, zeros)
    assert_steps_close(history, [param] * 3)


def test_defaults_are_chainers():
    msvag = optimizers.MSVAG()
    assert (msvag.lr, msvag.beta, msvag.eta, msvag.weight_decay_rate) == (0.1, 0.9, 1.0, 0)
