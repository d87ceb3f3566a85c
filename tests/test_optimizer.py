"""The optimizer framework: hyperparameters, update rules, hooks, errors and the tutorial."""

import numpy
import pytest

import polychain as chainer
import polychain.functions as F
import polychain.links as L
from polychain import optimizer_hooks, optimizers
from polychain.backend import to_host
from polychain.optimizer import GradientMethod, Hyperparameter, UpdateRule


class MyChain(chainer.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(4, 3)
            self.l2 = L.Linear(3, 2)

    def __call__(self, x):
        return self.l2(self.l1(x))


def _snapshot(model):
    return {path: numpy.array(to_host(p.array)) for path, p in model.namedparams()}


# -- the tutorial ---------------------------------------------------------------------------
def test_tutorial_update_after_backward(device):
    model = MyChain().to_device(device)
    opt = optimizers.SGD()
    opt.setup(model)
    opt.add_hook(chainer.optimizer_hooks.WeightDecay(0.0005))
    before = _snapshot(model)
    x = numpy.random.default_rng(0).uniform(-1, 1, (2, 4)).astype('f')
    model.cleargrads()
    loss = F.sum(model(chainer.Variable(device.send(x))))
    loss.backward()
    grads = {path: numpy.array(to_host(p.grad)) for path, p in model.namedparams()}
    opt.update()
    for path, value in _snapshot(model).items():
        expected = before[path] - 0.01 * (grads[path] + 0.0005 * before[path])
        numpy.testing.assert_allclose(value, expected, rtol=1e-5, atol=1e-7)
    assert opt.t == 1


def test_tutorial_update_with_a_loss_function(device):
    model = MyChain().to_device(device)
    opt = optimizers.SGD().setup(model)
    rng = numpy.random.default_rng(1)
    arg1, arg2 = (rng.uniform(-1, 1, (2, 4)).astype('f') for _ in range(2))
    calls = []

    def lossfun(a, b):
        calls.append((a, b))
        return F.sum(model(a - b))

    for p in model.params():
        p.grad = p.xp.ones_like(p.array)  # stale gradients are cleared first
    before = _snapshot(model)
    opt.update(lossfun, chainer.Variable(device.send(arg1)), chainer.Variable(device.send(arg2)))
    assert len(calls) == 1
    reference = MyChain()
    reference.copyparams(model)
    for p, value in zip(reference.params(), before.values()):
        p.array = value
    reference.cleargrads()
    F.sum(reference(chainer.Variable(arg1 - arg2))).backward()
    for (path, value), p in zip(_snapshot(model).items(), reference.params()):
        numpy.testing.assert_allclose(value, before[path] - 0.01 * p.grad, rtol=1e-5, atol=1e-7)


def test_use_cleargrads_false_zeroes_gradients_instead(device):
    model = MyChain().to_device(device)
    opt = optimizers.SGD().setup(model)
    opt.use_cleargrads(False)
    x = chainer.Variable(device.send(numpy.ones((1, 4), 'f')))
    with pytest.deprecated_call(match='zerograds? is deprecated'):
        opt.update(lambda v: F.sum(model(v)), x)
    assert all(p.grad is not None for p in model.params())


# -- hyperparameters ----------------------------------------------------------------------------
def test_hyperparameter_falls_back_to_its_parent():
    parent = Hyperparameter()
    parent.lr, parent.momentum = 0.1, 0.9
    child = Hyperparameter(parent)
    child.lr = 0.5
    assert (child.lr, child.momentum, child.parent) == (0.5, 0.9, parent)
    assert child.get_dict() == {'lr': 0.5, 'momentum': 0.9}
    assert repr(child) == 'Hyperparameter(lr=0.5, momentum=0.9)'
    with pytest.raises(AttributeError, match='no_such'):
        _ = child.no_such


def test_rule_hyperparameter_overrides_the_optimizers(device):
    model = MyChain().to_device(device)
    opt = optimizers.SGD(lr=0.1).setup(model)
    model.l1.W.update_rule.hyperparam.lr = 0.0
    opt.lr = 0.2
    assert model.l1.b.update_rule.hyperparam.lr == 0.2
    before = _snapshot(model)
    for p in model.params():
        p.grad = p.xp.ones_like(p.array)
    opt.update()
    after = _snapshot(model)
    numpy.testing.assert_array_equal(after['/l1/W'], before['/l1/W'])
    numpy.testing.assert_allclose(after['/l1/b'], before['/l1/b'] - 0.2, rtol=1e-6)


# -- update rules --------------------------------------------------------------------------------
class _Recording(UpdateRule):
    def __init__(self, log):
        super().__init__()
        self.log = log

    def init_state(self, param):
        self.log.append('init_state')
        self.state['count'] = param.xp.zeros_like(param.array)

    def update_core(self, param):
        self.log.append(('update_core', self.t))
        if self.state is not None:
            self.state['count'] = self.state['count'] + 1


class _RecordingMethod(GradientMethod):
    def __init__(self, log):
        super().__init__()
        self.log = log

    def create_update_rule(self):
        return _Recording(self.log)


def _one_param_link(device, grad=True):
    link = chainer.Link()
    with link.init_scope():
        link.w = chainer.Parameter(numpy.zeros((2, 3)))
    link.to_device(device)
    if grad:
        link.w.grad = link.w.xp.ones_like(link.w.array)
    return link


def test_rule_runs_hooks_in_order_and_counts_steps(device):
    log = []
    link = _one_param_link(device)
    opt = _RecordingMethod(log).setup(link)
    rule = link.w.update_rule
    rule.add_hook(lambda r, p: log.append('post'), name='after', timing='post')
    rule.add_hook(lambda r, p: log.append('pre'), name='before', timing='pre')
    opt.update()
    opt.update()
    assert log == ['init_state', 'pre', ('update_core', 1), 'post',
                   'pre', ('update_core', 2), 'post']
    assert rule.t == 2 and opt.t == 2
    numpy.testing.assert_array_equal(to_host(rule.state['count']), numpy.full((2, 3), 2.0))
    rule.remove_hook('before')
    with pytest.raises(KeyError, match="_Recording.remove_hook: there is no hook named 'x'"):
        rule.remove_hook('x')


def test_cleared_gradients_are_reallocated_as_zeros(device):
    log = []
    link = _one_param_link(device, grad=False)
    _RecordingMethod(log).setup(link).update()
    assert log == ['init_state', ('update_core', 1)]
    numpy.testing.assert_array_equal(to_host(link.w.grad), numpy.zeros((2, 3)))


def test_uninitialized_parameters_reach_update_core_without_state():
    log = []
    link = chainer.Link()
    with link.init_scope():
        link.w = chainer.Parameter()
    _RecordingMethod(log).setup(link).update()
    assert log == [('update_core', 1)] and link.w.update_rule.state is None


def test_disabled_rules_and_links_are_not_updated(device):
    model = MyChain().to_device(device)
    model.l2.disable_update()
    opt = optimizers.SGD().setup(model)
    before = _snapshot(model)
    for p in model.params():
        p.grad = p.xp.ones_like(p.array)
    opt.update()
    after = _snapshot(model)
    numpy.testing.assert_array_equal(after['/l2/W'], before['/l2/W'])
    assert not numpy.array_equal(after['/l1/W'], before['/l1/W'])
    assert model.l2.W.update_rule.enabled is False


def test_gradient_of_the_wrong_shape_is_a_clear_error(device):
    link = _one_param_link(device)
    opt = optimizers.SGD().setup(link)
    link.w.array = link.w.xp.zeros((4,), dtype=link.w.dtype)
    with pytest.raises(ValueError, match=r"SGDRule.update: the gradient of parameter 'w' has "
                                         r'shape \(2, 3\), expected the shape of the parameter '
                                         r'\(4,\)'):
        opt.update()


@pytest.mark.parametrize('call', [
    lambda opt: opt.update(),
    lambda opt: opt.add_hook(optimizer_hooks.WeightDecay(0.1)),
    lambda opt: opt.call_hooks(),
    lambda opt: opt.serialize({}),
], ids=['update', 'add_hook', 'call_hooks', 'serialize'])
def test_using_an_optimizer_before_setup_is_a_clear_error(call):
    with pytest.raises(RuntimeError, match=r'Adam\.\w+: the optimizer has no target link; call '
                                           r'setup\(link\) first'):
        call(optimizers.Adam())


def test_setup_needs_a_link():
    with pytest.raises(TypeError, match='SGD.setup: optimization target must be a link, '
                                        'received ndarray'):
        optimizers.SGD().setup(numpy.zeros(3))


# -- optimizer hooks ------------------------------------------------------------------------------
def test_hooks_run_by_timing_and_kind(device):
    link = _one_param_link(device)
    opt = optimizers.SGD().setup(link)
    log = []

    class PerParam:
        name, timing, call_for_each_param = 'per_param', 'post', True

        def __call__(self, rule, param):
            log.append(('per_param', rule is link.w.update_rule, param is link.w))

    def once(o):
        log.append(('once', o is opt, o.t))

    opt.add_hook(PerParam())
    opt.add_hook(once, timing='pre')
    opt.update()
    assert log == [('once', True, 0), ('per_param', True, True)]
    with pytest.raises(KeyError, match="SGD.add_hook: a hook named 'once' already exists"):
        opt.add_hook(once, timing='pre')
    opt.remove_hook('once')
    opt.add_hook(once, timing='post')


def test_hook_without_timing_defaults_to_pre_with_a_warning(device):
    opt = optimizers.SGD().setup(_one_param_link(device))
    with pytest.warns(FutureWarning, match="no timing attribute; assuming 'pre'"):
        opt.add_hook(lambda o: None, name='plain')


def test_bad_timing_is_an_error(device):
    opt = optimizers.SGD().setup(_one_param_link(device))
    with pytest.raises(ValueError, match="SGD.add_hook: expected timing 'pre', 'post' or 'auto', "
                                         "received 'late'"):
        opt.add_hook(optimizer_hooks.WeightDecay(0.1), timing='late')
    with pytest.raises(TypeError, match='SGD.add_hook: expected a callable hook, received int'):
        opt.add_hook(3)


def test_hyperparameter_entries_are_host_scalars_and_state_stays_on_the_device(device):
    link = _one_param_link(device)
    opt = optimizers.MomentumSGD().setup(link)
    opt.update()
    assert chainer.get_device_from_array(link.w.update_rule.state['v']) == device
    assert isinstance(opt.t, int)


# -- epochs and serialization ---------------------------------------------------------------------
def test_new_epoch_checks_who_counts_epochs(device):
    opt = optimizers.SGD().setup(_one_param_link(device))
    opt.new_epoch()
    assert opt.epoch == 1
    with pytest.raises(RuntimeError, match='new_epoch: called with auto=True'):
        opt.new_epoch(auto=True)
    opt.use_auto_new_epoch = True
    opt.new_epoch(auto=True)
    assert opt.epoch == 2
    with pytest.raises(RuntimeError, match='the updater already counts epochs'):
        opt.new_epoch()


class _DictSerializer:
    """Saves into a flat dict keyed by path, as Chainer's DictionarySerializer."""

    def __init__(self, target, path=''):
        self.target, self.path = target, path

    def __getitem__(self, name):
        return _DictSerializer(self.target, self.path + name.strip('/') + '/')

    def __call__(self, key, value):
        self.target[self.path + key] = numpy.asarray(to_host(value)) \
            if hasattr(value, 'shape') else value
        return value


def test_serialize_follows_chainers_protocol(device):
    model = MyChain().to_device(device)
    opt = optimizers.Adam().setup(model)
    for p in model.params():
        p.grad = p.xp.ones_like(p.array)
    opt.update()
    opt.new_epoch()
    saved = {}
    opt.serialize(_DictSerializer(saved))
    assert saved['t'] == 1 and saved['epoch'] == 1
    assert set(saved) >= {'l1/W/t', 'l1/W/m', 'l1/W/v', 'l2/b/m'}
    numpy.testing.assert_array_equal(saved['l1/W/m'], to_host(model.l1.W.update_rule.state['m']))


def test_state_made_on_the_host_by_init_state_moves_to_the_parameters_device(device):
    """As in Chainer: init_state may build host arrays; the update sees them on the device."""
    seen = []

    class Rule(UpdateRule):
        def init_state(self, param):
            self.state['b'] = numpy.zeros(3, 'f')

        def update_core(self, param):
            seen.append(device.is_array_supported(self.state['b']))

    param = chainer.Parameter(numpy.ones(3, 'f'))
    param.to_device(device)
    param.grad = device.send(numpy.ones(3, 'f'))
    Rule().update(param)
    assert seen == [True]
