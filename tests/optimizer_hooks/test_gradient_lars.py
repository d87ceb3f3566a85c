"""GradientLARS with SGD: three steps against the formula."""

import numpy
import pytest
from optimizers.stepping import assert_steps_close, fixed_values, run_single

from polychain import optimizer_hooks, optimizers


def lars_reference(p, grads, lr, threshold, weight_decay, eps):
    out = []
    for g in grads:
        p_norm, g_norm = numpy.linalg.norm(p), numpy.linalg.norm(g)
        rate = p_norm / (eps + g_norm + weight_decay * p_norm) if p_norm > threshold else 1.0
        p = p - lr * rate * (g + weight_decay * p)
        out.append(p)
    return out


@pytest.mark.parametrize(('threshold', 'weight_decay'), [(1e-2, 0.0), (1e-2, 0.1), (100.0, 0.1)],
                         ids=['defaults', 'weight_decay', 'below_threshold'])
def test_three_steps_follow_the_formula(threshold, weight_decay, device):
    param, grads = fixed_values()
    hook = optimizer_hooks.GradientLARS(threshold=threshold, weight_decay=weight_decay)
    history = run_single(optimizers.SGD(lr=0.1), device, param, grads, hooks=[hook])
    assert_steps_close(history, lars_reference(param, grads, 0.1, threshold, weight_decay, 1e-9))


def test_attributes_are_chainers():
    hook = optimizer_hooks.GradientLARS()
    assert (hook.threshold, hook.weight_decay, hook.eps) == (1e-2, 0.0, 1e-9)
    assert (hook.timing, hook.call_for_each_param) == ('pre', True)
