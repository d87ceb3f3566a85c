"""SMORMS3: three steps against the formula."""

import numpy
import pytest

from polychain import optimizers

from .stepping import assert_steps_close, fixed_values, run_single


def smorms3_reference(p, grads, lr, eps):
    mem, g_avg, g2_avg, out = numpy.ones_like(p), numpy.zeros_like(p), numpy.zeros_like(p), []
    for g in grads:
        r = 1 / (mem + 1)
        g_avg = (1 - r) * g_avg + r * g
        g2_avg = (1 - r) * g2_avg + r * g * g
        x = g_avg * g_avg / (g2_avg + eps)
        p = p - g * numpy.minimum(lr, x) / (numpy.sqrt(g2_avg) + eps)
        mem = 1 + mem * (1 - x)
        out.append(p)
    return out


@pytest.mark.parametrize(('lr', 'eps'), [(0.001, 1e-16), (0.5, 1e-4)])
def test_three_steps_follow_the_formula(lr, eps, device):
    param, grads = fixed_values()
    assert_steps_close(run_single(optimizers.SMORMS3(lr=lr, eps=eps), device, param, grads),
                       smorms3_reference(param, grads, lr, eps))


def test_defaults_are_chainers():
    assert (optimizers.SMORMS3().lr, optimizers.SMORMS3().eps) == (0.001, 1e-16)
