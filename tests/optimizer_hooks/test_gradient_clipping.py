"""GradientClipping and GradientHardClipping with SGD: three steps against the formulas."""

import numpy
import pytest
from optimizers.stepping import assert_steps_close, fixed_values, run_steps

from polychain import optimizer, optimizer_hooks, optimizers


def _two_params():
    p0, g0 = fixed_values((3, 4), seed=0)
    p1, g1 = fixed_values((5,), seed=1)
    return [p0, p1], [[a, b] for a, b in zip(g0, g1)]


@pytest.mark.parametrize('threshold', [0.5, 100.0], ids=['clipped', 'unclipped'])
def test_clipping_by_global_norm(threshold, device):
    params, grads = _two_params()
    history = run_steps(optimizers.SGD(lr=1.0), device, params, grads,
                        hooks=[optimizer_hooks.GradientClipping(threshold)])
    expected, current = [], params
    for step in grads:
        norm = numpy.sqrt(sum(numpy.sum(g * g) for g in step))
        rate = min(1.0, threshold / norm)
        current = [p - rate * g for p, g in zip(current, step)]
        expected.append(current)
    for actual, wanted in zip(history, expected):
        for a, e in zip(actual, wanted):
            numpy.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12)


def test_hard_clipping(device):
    params, grads = _two_params()
    history = run_steps(optimizers.SGD(lr=1.0), device, params, grads,
                        hooks=[optimizer_hooks.GradientHardClipping(-0.3, 0.5)])
    current = params
    for actual, step in zip(history, grads):
        current = [p - numpy.clip(g, -0.3, 0.5) for p, g in zip(current, step)]
        for a, e in zip(actual, current):
            numpy.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12)


def test_attributes_are_chainers():
    clipping = optimizer_hooks.GradientClipping(2.0)
    assert (clipping.threshold, clipping.timing, clipping.call_for_each_param) == (
        2.0, 'pre', False)
    hard = optimizer_hooks.GradientHardClipping(-1.0, 1.0)
    assert (hard.lower_bound, hard.upper_bound, hard.timing, hard.call_for_each_param) == (
        -1.0, 1.0, 'pre', True)


@pytest.mark.parametrize('name, args', [
    ('GradientClipping', (1.0,)), ('GradientHardClipping', (1.0, 2.0)),
    ('GradientNoise', (1.0,)), ('Lasso', (1.0,)), ('WeightDecay', (1.0,))])
def test_optimizer_module_aliases_warn_deprecated(name, args):
    with pytest.warns(DeprecationWarning, match=f'optimizer_hooks.{name}'):
        hook = getattr(optimizer, name)(*args)
    assert isinstance(hook, getattr(optimizer_hooks, name))


def test_zero_gradients_are_left_as_they_are(device):
    param, _ = fixed_values()
    zeros = [numpy.zeros_like(param)] * 3
    history = run_steps(optimizers.SGD(lr=1.0), device, [param], [[z] for z in zeros],
                        hooks=[optimizer_hooks.GradientClipping(1.0)])
    assert_steps_close([h[0] for h in history], [param] * 3)
