"""WeightDecay and Lasso with SGD: three steps against the formulas."""

import numpy
import pytest
from optimizers.stepping import assert_steps_close, fixed_values, run_single

import polychain as chainer
from polychain import optimizer_hooks, optimizers
from polychain.backend import to_host


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


def test_decay_follows_the_loss_scale_of_the_gradient(device):
    results = []
    for scale in (None, 4.0):
        link = chainer.Link()
        with link.init_scope():
            link.p = chainer.Parameter(numpy.arange(3, dtype=numpy.float32))
        link.to_device(device)
        grad = numpy.array([1.0, 2.0, 3.0], numpy.float32) * (scale or 1.0)
        link.p.grad = device.send(grad)
        link.p._loss_scale = scale
        opt = optimizers.SGD(lr=1.0).setup(link)
        opt.add_hook(optimizer_hooks.WeightDecay(0.125))
        opt.update()
        results.append(numpy.asarray(to_host(link.p.array)))
    numpy.testing.assert_allclose(results[1], results[0], rtol=1e-6)
    numpy.testing.assert_allclose(results[0], [-1.0, -1.125, -1.25], rtol=1e-6)
