"""GradientNoise: annealed noise from the device's seeded generator."""

import math

import numpy
from optimizers.stepping import assert_steps_close, fixed_values, run_single

from polychain import optimizer_hooks, optimizers
from polychain.backend import to_host


def test_three_steps_add_the_annealed_noise_of_the_seeded_generator(device):
    param, grads = fixed_values()
    eta = 0.3
    device.seed(7)
    history = run_single(optimizers.SGD(lr=1.0), device, param, grads,
                         hooks=[optimizer_hooks.GradientNoise(eta)])
    device.seed(7)
    expected, p = [], param
    for t, g in enumerate(grads):
        std = math.sqrt(eta / (1 + t) ** 0.55)
        noise = numpy.asarray(to_host(device.random.normal(param.shape, 'float64', 0.0, std)))
        p = p - (g + noise)
        expected.append(p)
    assert_steps_close(history, expected)
    assert not numpy.allclose(history[0], param - grads[0])


def test_same_seed_gives_the_same_run(device):
    param, grads = fixed_values()
    runs = []
    for _ in range(2):
        device.seed(3)
        runs.append(run_single(optimizers.SGD(), device, param, grads,
                               hooks=[optimizer_hooks.GradientNoise(0.1)]))
    assert_steps_close(runs[0], runs[1], rtol=0, atol=0)


def test_custom_noise_function_receives_xp_shape_dtype_hook_and_rule(device):
    param, grads = fixed_values()
    calls = []

    def noise_func(xp, shape, dtype, hook, rule):
        calls.append((xp, shape, hook.eta, rule.t))
        return xp.full(shape, 0.25, dtype=dtype)

    history = run_single(optimizers.SGD(lr=1.0), device, param, grads,
                         hooks=[optimizer_hooks.GradientNoise(0.5, noise_func)])
    assert calls == [(device.xp, (3, 4), 0.5, t) for t in range(3)]
    expected, p = [], param
    for g in grads:
        p = p - (g + 0.25)
        expected.append(p)
    assert_steps_close(history, expected)


def test_attributes_are_chainers():
    hook = optimizer_hooks.GradientNoise(0.1)
    assert (hook.eta, hook.timing, hook.call_for_each_param) == (0.1, 'pre', True)
    assert hook.noise_func is optimizer_hooks.exponential_decay_noise


def test_exponential_decay_noise_draws_from_xp_random():
    class Rule:
        t = 3
    numpy.random.seed(0)
    noise = optimizer_hooks.exponential_decay_noise(
        numpy, (2, 2), numpy.float32, optimizer_hooks.GradientNoise(0.4), Rule())
    numpy.random.seed(0)
    expected = numpy.random.normal(0.0, math.sqrt(0.4 / 4 ** 0.55), (2, 2)).astype('f')
    assert noise.dtype == numpy.float32
    numpy.testing.assert_array_equal(noise, expected)
