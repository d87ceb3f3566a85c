"""Chainer's update protocol of optimizers: loss scaling, float32 updates of float16
parameters, update_core_cpu/gpu dispatch, hooks and pickling."""

import pickle

import numpy
import pytest

import polychain as chainer
import polychain.functions as F
from polychain import optimizers
from polychain.backend import to_host
from polychain.optimizer import UpdateRule


def _link(device, value=(1.0, 2.0), grad=None, dtype='float32'):
    link = chainer.Link()
    with link.init_scope():
        link.w = chainer.Parameter(numpy.array(value, dtype=dtype))
    link.to_device(device)
    if grad is not None:
        link.w.grad = device.send(numpy.array(grad, dtype=dtype))
    return link


def test_static_loss_scale_divides_gradients(device):
    link = _link(device, grad=(10.0, 20.0))
    link.w._loss_scale = 10.0
    optimizers.SGD(lr=1.0).setup(link).update()
    numpy.testing.assert_allclose(to_host(link.w.array), [0.0, 0.0], atol=1e-6)


def test_static_loss_scaling_scales_backward_and_unscales_update(device):
    link = _link(device)
    opt = optimizers.SGD(lr=0.5).setup(link)
    opt.loss_scaling(scale=8.0)
    opt.update(lambda: F.sum(link.w * link.w))
    # grad of sum(w**2) is 2w: w - 0.5 * 2w = 0
    numpy.testing.assert_allclose(to_host(link.w.array), [0.0, 0.0], atol=1e-6)
    assert link.w._loss_scale == 8.0


def test_dynamic_loss_scaling_skips_bad_steps_and_adapts(device):
    link = _link(device)
    opt = optimizers.SGD(lr=0.1).setup(link)
    opt.loss_scaling(interval=2)
    start = opt._loss_scale
    link.w.grad = device.send(numpy.array([numpy.inf, 1.0], 'f'))
    opt.update()
    numpy.testing.assert_array_equal(to_host(link.w.array), [1.0, 2.0])
    assert opt.t == 0 and opt._loss_scale == start / 2
    for _ in range(2):
        link.w.grad = device.send(numpy.array([0.0, 0.0], 'f'))
        opt.update()
    assert opt.t == 2 and opt._loss_scale == start


@pytest.mark.parametrize('kwargs', [{'interval': 0}, {'scale': -1}])
def test_loss_scaling_rejects_bad_settings(kwargs):
    opt = optimizers.SGD().setup(_link(chainer.get_device('@numpy')))
    with pytest.raises(ValueError, match='SGD.loss_scaling'):
        opt.loss_scaling(**kwargs)


def test_fp32_update_of_a_half_parameter(device):
    if device.name == '@strict':
        pytest.skip('@strict has no float16')
    seen = []

    class Rule(UpdateRule):
        def update_core(self, param):
            seen.append(param.dtype)
            param.array = param.array - param.grad

    link = _link(device, value=(1.0, 2.0), grad=(0.5, 0.5), dtype='float16')
    rule = Rule()
    rule.use_fp32_update()
    rule.update(link.w)
    assert seen == [numpy.float32] and link.w.dtype == numpy.float16
    numpy.testing.assert_array_equal(to_host(link.w.array), [0.5, 1.5])


def test_update_core_dispatches_to_cpu_on_host_devices():
    calls = []

    class Rule(UpdateRule):
        def update_core_cpu(self, param):
            calls.append('cpu')

        def update_core_gpu(self, param):
            calls.append('gpu')

    Rule().update(_link(chainer.get_device('@numpy'), grad=(1.0, 1.0)).w)
    assert calls == ['cpu']


def test_rule_hook_names_are_unique():
    rule = UpdateRule()
    rule.add_hook(lambda r, p: None, name='h', timing='pre')
    with pytest.raises(KeyError, match="a hook named 'h' already exists"):
        rule.add_hook(lambda r, p: None, name='h', timing='post')


def test_unpickled_optimizer_still_updates_its_target():
    link = _link(chainer.get_device('@numpy'))
    opt = optimizers.Adam().setup(link)
    opt.update(lambda: F.sum(link.w * link.w))
    copy = pickle.loads(pickle.dumps(opt))
    opt.update(lambda: F.sum(link.w * link.w))
    copy.update(lambda: F.sum(copy.target.w * copy.target.w))
    assert copy.target.w.update_rule.t == 2
    numpy.testing.assert_array_equal(copy.target.w.array, link.w.array)
