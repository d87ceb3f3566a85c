"""WeightDecay and Lasso with SGD: three steps against the formulas."""

import numpy
import pytest
from optimizers.stepping import assert_steps_close, fixed_values, run_single

from polychain import optimizer_hooks, optimizers


def sgd_with(p, grads, lr, extra):
    out = []
    for g in grads:
        p = p - lr * (g + extra(p))
        out.append(p)
    return out


@pytest.mark.parametrize(('hook', 'extra'), [
    (optimizer_hooks.WeightDecay(0.1), lambda p: 0.1 * p),
    (optimizer_hooks.Lasso(0.1), lambda p: 0.1 * numpy.sign(p)),
], ids=['WeightDecay', 'Lasso'])
def test_three_steps_follow_the_formula(hook, extra, device):
    param, grads = fixed_values()
    history = run_single(optimizers.SGD(lr=0.5), device, param, grads, hooks=[hook])
    assert_steps_close(history, sgd_with(param, grads, 0.5, extra))


def test_attributes_are_chainers():
    for hook in (optimizer_hooks.WeightDecay(0.1), optimizer_hooks.Lasso(0.1)):
        assert hook.rate == 0.1 and hook.timing == 'pre' and hook.call_for_each_param
