"""Adam and its variants: three steps against the formulas, bias correction included."""

import math

import numpy
import pytest

from polychain import optimizers
from polychain.backend import get_device_from_array

from .stepping import assert_steps_close, fixed_values, run_single


def adam_reference(p, grads, alpha=0.001, beta1=0.9, beta2=0.999, eps=1e-8, eta=1.0,
                   weight_decay_rate=0.0, amsgrad=False, adabound=False, final_lr=0.1,
                   gamma=1e-3):
    m, v, vhat, out = numpy.zeros_like(p), numpy.zeros_like(p), numpy.zeros_like(p), []
    for t, g in enumerate(grads, start=1):
        m = m + (1 - beta1) * (g - m)
        v = v + (1 - beta2) * (g * g - v)
        vhat = numpy.maximum(vhat, v) if amsgrad else v
        alpha_t = alpha * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        step = alpha_t / (numpy.sqrt(vhat) + eps)
        if adabound:
            lower = final_lr * (1 - 1 / (gamma * t + 1))
            upper = final_lr * (1 + 1 / (gamma * t))
            step = numpy.clip(step, lower, upper)
        p = p - eta * (step * m + weight_decay_rate * p)
        out.append(p)
    return out


@pytest.mark.parametrize(('make', 'options'), [
    (lambda: optimizers.Adam(), {}),
    (lambda: optimizers.Adam(alpha=0.01, beta1=0.8, beta2=0.99, eps=1e-6),
     {'alpha': 0.01, 'beta1': 0.8, 'beta2': 0.99, 'eps': 1e-6}),
    (lambda: optimizers.Adam(eta=0.5, weight_decay_rate=0.1),
     {'eta': 0.5, 'weight_decay_rate': 0.1}),
    (lambda: optimizers.AdamW(weight_decay_rate=0.01), {'weight_decay_rate': 0.01}),
    (lambda: optimizers.AMSGrad(), {'amsgrad': True}),
    (lambda: optimizers.AdaBound(), {'adabound': True}),
    (lambda: optimizers.AdaBound(final_lr=0.01, gamma=0.1),
     {'adabound': True, 'final_lr': 0.01, 'gamma': 0.1}),
    (lambda: optimizers.AMSBound(), {'amsgrad': True, 'adabound': True}),
    (lambda: optimizers.Adam(amsgrad=True, adabound=True), {'amsgrad': True, 'adabound': True}),
], ids=['Adam', 'Adam_args', 'Adam_weight_decay', 'AdamW', 'AMSGrad', 'AdaBound',
        'AdaBound_args', 'AMSBound', 'Adam_amsbound_flags'])
def test_three_steps_follow_the_formula(make, options, device):
    param, grads = fixed_values()
    assert_steps_close(run_single(make(), device, param, grads),
                       adam_reference(param, grads, **options))


def test_amsgrad_keeps_the_largest_second_moment(device):
    param, _ = fixed_values()
    grads = [numpy.full_like(param, 3.0), numpy.full_like(param, 0.1), numpy.full_like(param, 0.1)]
    assert_steps_close(run_single(optimizers.AMSGrad(beta2=0.5), device, param, grads),
                       adam_reference(param, grads, beta2=0.5, amsgrad=True))
    assert not numpy.allclose(adam_reference(param, grads, beta2=0.5, amsgrad=True)[-1],
                              adam_reference(param, grads, beta2=0.5)[-1])


def test_defaults_are_chainers():
    adam = optimizers.Adam()
    assert (adam.alpha, adam.beta1, adam.beta2, adam.eps, adam.eta, adam.weight_decay_rate,
            adam.amsgrad, adam.adabound, adam.final_lr, adam.gamma) == (
        0.001, 0.9, 0.999, 1e-8, 1.0, 0, False, False, 0.1, 1e-3)
    assert optimizers.AMSGrad().amsgrad and not optimizers.AMSGrad().adabound
    assert optimizers.AdaBound().adabound and not optimizers.AdaBound().amsgrad
    assert optimizers.AMSBound().adabound and optimizers.AMSBound().amsgrad
    bound = optimizers.AdaBound(0.01, 0.8, 0.9, 0.2, 0.5)
    assert (bound.alpha, bound.beta1, bound.beta2, bound.final_lr, bound.gamma) == (
        0.01, 0.8, 0.9, 0.2, 0.5)


def test_lr_is_the_bias_corrected_step(device):
    param, grads = fixed_values()
    optimizer = optimizers.Adam(alpha=0.01)
    run_single(optimizer, device, param, grads)
    expected = 0.01 * math.sqrt(1 - 0.999 ** 3) / (1 - 0.9 ** 3)
    assert optimizer.t == 3
    assert optimizer.lr == pytest.approx(expected) and optimizer.alpha_t == optimizer.lr
    rule = optimizer.target.p0.update_rule
    assert rule.t == 3 and rule.alpha_t == pytest.approx(expected)
    assert isinstance(optimizer.lr, float)


def test_lr_before_the_first_update_is_an_error():
    with pytest.raises(RuntimeError, match='Adam.alpha_t: .*before the first update'):
        _ = optimizers.Adam().lr


def test_adabound_bounds_follow_changes_of_alpha(device):
    param, grads = fixed_values()
    optimizer = optimizers.AdaBound(alpha=0.1)
    run_single(optimizer, device, param, grads[:1])
    rule = optimizer.target.p0.update_rule
    optimizer.alpha = 0.2
    lower, upper = rule.bounds()
    assert rule.initial_alpha == 0.1
    assert lower == pytest.approx(0.2 * (1 - 1 / (1e-3 + 1)))
    assert upper == pytest.approx(0.2 * (1 + 1 / 1e-3))


def test_state_holds_the_moments_on_the_device(device):
    param, grads = fixed_values()
    optimizer = optimizers.AMSGrad()
    run_single(optimizer, device, param, grads)
    state = optimizer.target.p0.update_rule.state
    assert sorted(state) == ['m', 'v', 'vhat']
    assert all(get_device_from_array(a) == device for a in state.values())


def test_float16_parameters_are_updated_in_float32(device):
    if device.name == '@strict':
        pytest.skip('@strict has no float16')
    param, grads = fixed_values()
    half_param = param.astype(numpy.float16)
    half_grads = [g.astype(numpy.float16) for g in grads]
    optimizer = optimizers.Adam(alpha=0.01)  # eps=1e-8 underflows in float16 itself
    history = run_single(optimizer, device, half_param, half_grads)
    expected = adam_reference(half_param.astype(numpy.float64),
                              [g.astype(numpy.float64) for g in half_grads], alpha=0.01)
    assert history[-1].dtype == numpy.float16
    # float16 storage of the parameter and the moments between steps costs a few ulps
    numpy.testing.assert_allclose(history[-1], expected[-1], rtol=5e-3, atol=5e-3)
    state = optimizer.target.p0.update_rule.state
    assert all(value.dtype == numpy.float16 for value in state.values())
