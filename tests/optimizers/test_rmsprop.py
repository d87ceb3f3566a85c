"""RMSprop and RMSpropGraves: three steps against the formulas."""

import numpy
import pytest

from polychain import optimizers

from .stepping import assert_steps_close, fixed_values, run_single


def rmsprop_reference(p, grads, lr, alpha, eps, eps_inside_sqrt=False):
    ms, out = numpy.zeros_like(p), []
    for g in grads:
        ms = alpha * ms + (1 - alpha) * g * g
        denominator = numpy.sqrt(ms + eps) if eps_inside_sqrt else numpy.sqrt(ms) + eps
        p = p - lr * g / denominator
        out.append(p)
    return out


def graves_reference(p, grads, lr, alpha, momentum, eps):
    n, mean, delta, out = numpy.zeros_like(p), numpy.zeros_like(p), numpy.zeros_like(p), []
    for g in grads:
        n = alpha * n + (1 - alpha) * g * g
        mean = alpha * mean + (1 - alpha) * g
        delta = momentum * delta - lr * g / numpy.sqrt(n - mean * mean + eps)
        p = p + delta
        out.append(p)
    return out


@pytest.mark.parametrize(('make', 'reference'), [
    (lambda: optimizers.RMSprop(), lambda p, gs: rmsprop_reference(p, gs, 0.01, 0.99, 1e-8)),
    (lambda: optimizers.RMSprop(lr=0.1, alpha=0.9, eps=1e-2, eps_inside_sqrt=True),
     lambda p, gs: rmsprop_reference(p, gs, 0.1, 0.9, 1e-2, eps_inside_sqrt=True)),
    (lambda: optimizers.RMSpropGraves(),
     lambda p, gs: graves_reference(p, gs, 1e-4, 0.95, 0.9, 1e-4)),
    (lambda: optimizers.RMSpropGraves(lr=0.01, alpha=0.8, momentum=0.5, eps=1e-3),
     lambda p, gs: graves_reference(p, gs, 0.01, 0.8, 0.5, 1e-3)),
], ids=['RMSprop', 'RMSprop_eps_inside_sqrt', 'RMSpropGraves', 'RMSpropGraves_args'])
def test_three_steps_follow_the_formula(make, reference, device):
    param, grads = fixed_values()
    assert_steps_close(run_single(make(), device, param, grads), reference(param, grads))


def test_eps_that_rounds_to_zero_is_an_error(device):
    param, grads = fixed_values(dtype='float16')
    if getattr(device.xp, 'float16', None) is None:
        pytest.skip(f'{device} has no float16')
    with pytest.raises(ValueError, match='RMSprop: eps 1e-10 is too small'):
        run_single(optimizers.RMSprop(eps=1e-10), device, param, grads)
