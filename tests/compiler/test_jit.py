"""polychain.jit: a step compiled on JAX gives the eager step's numbers and state."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.compiler import CompileError, EagerFallbackWarning
from polychain.functions.array._index_range import IndexOutOfRange

from .models import MLP, batches, classifier, train


@pytest.mark.parametrize('optimizer_name', ['SGD', 'MomentumSGD', 'Adam', 'AdaGrad', 'RMSprop'])
def test_compiled_steps_follow_the_eager_loss_curve(jax_device, optimizer_name):
    steps = batches(12)
    eager, eager_model, eager_opt, _ = train(jax_device, steps, False,
                                             optimizer_name=optimizer_name)
    compiled, model, optimizer, step = train(jax_device, steps, True,
                                             optimizer_name=optimizer_name)
    numpy.testing.assert_allclose(compiled, eager, rtol=1e-5)
    # The first call creates the lazy parameters and the optimizer state in a program of its
    # own; the second traces the program every later call runs.
    assert (step.trace_count, step.eager_count) == (2, 0)
    assert optimizer.t == eager_opt.t == 12 and type(optimizer.t) is int
    for (name, param), (_, reference) in zip(model.namedparams(), eager_model.namedparams()):
        assert param.array.dtype == reference.array.dtype
        numpy.testing.assert_allclose(numpy.asarray(param.array),
                                      numpy.asarray(reference.array), rtol=1e-4, atol=1e-6,
                                      err_msg=name)
        assert param.update_rule.t == 12
        assert set(param.update_rule.state) == set(reference.update_rule.state)


def test_two_compiled_runs_with_one_seed_are_bit_identical_with_dropout(jax_device):
    steps = batches(6)
    first, model_a, _, _ = train(jax_device, steps, True, dropout=0.5)
    second, model_b, _, _ = train(jax_device, steps, True, dropout=0.5)
    assert first == second
    for a, b in zip(model_a.params(), model_b.params()):
        numpy.testing.assert_array_equal(numpy.asarray(a.array), numpy.asarray(b.array))


def test_compiled_dropout_draws_the_eager_stream(jax_device):
    steps = batches(6)
    eager, _, _, _ = train(jax_device, steps, False, dropout=0.5)
    compiled, _, _, _ = train(jax_device, steps, True, dropout=0.5)
    numpy.testing.assert_allclose(compiled, eager, rtol=1e-5)


def test_numpy_batches_give_the_numbers_of_batches_sent_first(jax_device):
    steps = batches(6)
    sent, _, _, _ = train(jax_device, steps, True)
    compiled, model, _, step = train(jax_device, steps, True, send=False)
    eager, _, _, _ = train(jax_device, steps, False)
    assert compiled == sent
    numpy.testing.assert_allclose(compiled, eager, rtol=1e-5)
    assert (step.eager_count, step.trace_count) == (0, 2)
    assert all(polychain.get_device_from_array(p.array) is jax_device for p in model.params())
    with polychain.using_config('debug', True), pytest.warns(EagerFallbackWarning):
        step(*steps[0])  # runs eagerly: it sends the NumPy arrays itself
    assert step.eager_count == 1


def test_one_trace_per_signature_and_none_on_repeats(jax_device):
    model, optimizer = classifier(jax_device, 'SGD')
    step = polychain.jit(lambda x, t: optimizer.update(model, x, t), state=[optimizer])
    (x, t), = batches(1)
    x20, t20 = jax_device.send(x), jax_device.send(t)
    x10, t10 = jax_device.send(x[:10]), jax_device.send(t[:10])
    step(x20, t20)  # creates the lazy parameters and the optimizer state: a program of its own
    assert (step.trace_count, step.eager_count) == (1, 0)
    for _ in range(3):
        step(x20, t20)
    assert step.trace_count == 2
    # A new batch size is a new signature; so is, on the next call, the new shape of the
    # output Classifier keeps as model.y (the Variables links keep are state too).
    for _ in range(3):
        step(x10, t10)
    assert step.trace_count == 4
    for _ in range(3):
        step(x20, t20)
    assert step.trace_count == 5  # batch 20 after a batch of 10: model.y of 10 rows
    with polychain.using_config('train', False):  # a new configuration
        step(x20, t20)
    step(x20, t20)
    assert step.trace_count == 6
    optimizer.lr = 0.5  # a new hyperparameter value
    step(x20, t20)
    step(x20, t20)
    assert (step.trace_count, step.eager_count) == (7, 0)


def test_returned_arrays_and_variables(jax_device):
    model, _ = classifier(jax_device)
    x = jax_device.send(numpy.ones((3, 50), numpy.float32))
    model.predictor(x)  # initialise the lazy layer
    forward = polychain.jit(lambda x: {'y': model.predictor(x), 'n': [x.shape[0]]},
                            state=[model])
    out = forward(x)
    expected = model.predictor(x).array
    assert isinstance(out['y'], polychain.Variable) and out['n'] == [3]
    numpy.testing.assert_allclose(numpy.asarray(out['y'].array), numpy.asarray(expected),
                                  rtol=1e-6)


def test_reading_a_value_on_the_host_is_a_clear_error(jax_device):
    model, optimizer = classifier(jax_device, 'SGD')

    def loss_with_print(x, t):
        loss = model(x, t)
        if float(loss.array) > 100:
            print('diverged')
        return loss

    step = polychain.jit(lambda x, t: optimizer.update(loss_with_print, x, t),
                         state=[optimizer])
    (x, t), = batches(1)
    x, t = jax_device.send(x), jax_device.send(t)
    with pytest.raises(CompileError, match='loss_with_print.*static_code'):
        step(x, t)  # the first call, which would create the state
    assert model.predictor.l1.W.array is None  # nothing created
    assert all(p.update_rule.state is None for p in model.params())
    optimizer.update(model, x, t)  # an eager step creates it
    before = [numpy.asarray(p.array).copy() for p in model.params()]
    with pytest.raises(CompileError, match='loss_with_print.*static_code'):
        step(x, t)
    for param, old in zip(model.params(), before):  # nothing half-written
        numpy.testing.assert_array_equal(numpy.asarray(param.array), old)


def test_out_of_range_labels_raise_after_the_step_and_change_nothing(jax_device):
    model, optimizer = classifier(jax_device, 'Adam')
    step = polychain.jit(lambda x, t: optimizer.update(model, x, t), state=[optimizer])
    (x, t), = batches(1)
    step(jax_device.send(x), jax_device.send(t))
    step(jax_device.send(x), jax_device.send(t))
    before = {name: numpy.asarray(p.array).copy() for name, p in model.namedparams()}
    states = {name: {k: numpy.asarray(v).copy() for k, v in p.update_rule.state.items()}
              for name, p in model.namedparams()}
    bad = t.copy()
    bad[3] = 10
    with pytest.raises(IndexOutOfRange, match=r'\[10\]'):
        step(jax_device.send(x), jax_device.send(bad))
    assert optimizer.t == 2
    for name, param in model.namedparams():
        numpy.testing.assert_array_equal(numpy.asarray(param.array), before[name])
        assert param.update_rule.t == 2
        for key, value in param.update_rule.state.items():
            numpy.testing.assert_array_equal(numpy.asarray(value), states[name][key])
    step(jax_device.send(x), jax_device.send(t))  # and training goes on
    assert optimizer.t == 3


def test_a_failed_first_call_creates_nothing(jax_device, monkeypatch):
    model, optimizer = classifier(jax_device, 'Adam', dropout=0.5)
    monkeypatch.setattr(jax_device, '_generator', None)  # no random generator yet either
    step = polychain.jit(lambda x, t: optimizer.update(model, x, t), state=[optimizer])
    (x, t), = batches(1)
    bad = t.copy()
    bad[3] = 10
    with pytest.raises(IndexOutOfRange, match=r'\[10\]'):
        step(jax_device.send(x), jax_device.send(bad))
    assert model.predictor.l1.W.array is None and model.predictor.l1.W.device is jax_device
    assert all(p.update_rule.state is None and p.update_rule.t == 0 for p in model.params())
    assert optimizer.t == 0 and jax_device._generator is None
    assert model.y is None and model.loss is None  # Classifier keeps nothing of the failed call
    step(jax_device.send(x), jax_device.send(t))  # the state is created now
    assert optimizer.t == 1 and model.predictor.l1.W.shape == (32, 50)
    assert all(set(p.update_rule.state) == {'m', 'v'} for p in model.params())


def test_the_first_call_draws_the_host_seeds_in_the_eager_order(jax_device, monkeypatch):
    # The first call initialises the layers and, at its first dropout, creates the device's
    # generator: each takes its numbers from NumPy's global generator, in the eager order.
    results = []
    for compiled in (False, True):
        numpy.random.seed(3)
        monkeypatch.setattr(jax_device, '_generator', None)
        model = polychain.links.Classifier(MLP(dropout=0.5))
        model.to_device(jax_device)
        optimizer = polychain.optimizers.SGD().setup(model)

        def update(x, t, model=model, optimizer=optimizer):
            optimizer.update(model, x, t)

        step = polychain.jit(update, state=[optimizer]) if compiled else update
        for x, t in batches(2):
            step(jax_device.send(x), jax_device.send(t))
        results.append(([numpy.asarray(p.array) for p in model.params()], numpy.random.rand()))
    (eager, eager_next), (compiled, compiled_next) = results
    assert compiled_next == eager_next
    for ours, reference in zip(compiled, eager):
        numpy.testing.assert_allclose(ours, reference, rtol=1e-5, atol=1e-6)


def test_backends_that_do_not_compile_run_eagerly_and_say_so_once():
    device = polychain.get_device('@numpy')
    steps = batches(4)
    eager, _, _, _ = train(device, steps, False)
    with pytest.warns(EagerFallbackWarning, match='numpy backend does not compile') as caught:
        compiled, _, _, step = train(device, steps, True)
    assert len(caught) == 1
    assert compiled == eager
    assert step.trace_count == 0 and step.eager_count == 4


def test_a_failed_trace_restores_the_state_objects(jax_device):
    model, optimizer = classifier(jax_device, 'SGD')
    (x, t), = batches(1)
    x, t = jax_device.send(x), jax_device.send(t)
    optimizer.update(model, x, t)

    def broken(x, t):
        optimizer.update(model, x, t)
        raise ZeroDivisionError('in the step')

    with pytest.raises(ZeroDivisionError):
        polychain.jit(broken, state=[optimizer])(x, t)
    assert optimizer.t == 1
    for param in model.params():
        numpy.asarray(param.array)  # concrete arrays again, not placeholders
        assert param.update_rule.t == 1


def test_state_must_be_links_optimizers_or_devices(jax_device):
    (x, _), = batches(1)
    with pytest.raises(TypeError, match='links, optimizers or devices'):
        polychain.jit(F.relu, state=[object()])(jax_device.send(x))


def test_variables_the_step_stores_on_links_are_concrete_afterwards(jax_device):
    model, optimizer = classifier(jax_device, 'SGD')
    step = polychain.jit(lambda x, t: optimizer.update(model, x, t), state=[optimizer])
    (x, t), = batches(1)
    x, t = jax_device.send(x), jax_device.send(t)
    reporter = polychain.Reporter()
    reporter.add_observer('main', model)
    for _ in range(2):
        observation = {}
        with reporter.scope(observation):
            step(x, t)
    # Classifier keeps the loss and accuracy of its last call, as concrete Variables
    assert isinstance(model.loss, polychain.Variable)
    assert float(model.loss.array) == float(observation['main/loss'].array)
    assert float(model.accuracy.array) == float(observation['main/accuracy'].array)


def test_without_keep_grads_the_gradients_are_cleared_after_each_call(jax_device):
    model, optimizer = classifier(jax_device, 'SGD')
    step = polychain.jit(lambda x, t: optimizer.update(model, x, t), state=[optimizer],
                         keep_grads=False)
    kept = polychain.jit(lambda x, t: optimizer.update(model, x, t), state=[optimizer])
    (x, t), = batches(1)
    x, t = jax_device.send(x), jax_device.send(t)
    for _ in range(3):  # the first call creates the state, the others run its successor
        step(x, t)
        assert all(p.grad is None for p in model.params())
    kept(x, t)
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.params())


def _sgd_step_run_three_times(device):
    """A classifier, its SGD optimizer, their compiled update, a batch, after three steps."""
    model, optimizer = classifier(device, 'SGD')
    step = polychain.jit(lambda x, t: optimizer.update(model, x, t), state=[optimizer])
    (x, t), = batches(1)
    x, t = device.send(x), device.send(t)
    for _ in range(3):
        step(x, t)
    return model, optimizer, step, x, t


def test_a_hook_added_between_calls_is_compiled_in(jax_device):
    model, optimizer, step, x, t = _sgd_step_run_three_times(jax_device)
    before = numpy.asarray(model.predictor.l2.W.array).copy()
    optimizer.add_hook(polychain.optimizer_hooks.GradientHardClipping(-1e-9, 1e-9))
    optimizer.lr = 1.0
    step(x, t)
    assert step.trace_count == 3  # creating, steady, with the hook
    change = numpy.abs(numpy.asarray(model.predictor.l2.W.array) - before).max()
    assert change < 1e-6  # every gradient was clipped to 1e-9 (weight decay adds 1e-4 * W)


def test_changes_between_calls_reach_the_next_call(jax_device):
    model, optimizer, step, x, t = _sgd_step_run_three_times(jax_device)
    W = model.predictor.l2.W  # noqa: N806
    rule = W.update_rule
    before = numpy.asarray(W.array).copy()
    rule.enabled = False  # a rule switched off
    step(x, t)
    numpy.testing.assert_array_equal(numpy.asarray(W.array), before)
    rule.enabled = True
    step(x, t)
    assert not numpy.array_equal(numpy.asarray(W.array), before)
    before = numpy.asarray(W.array).copy()
    rule.hyperparam.lr = 0.0  # one rule's own hyperparameter
    step(x, t)
    numpy.testing.assert_array_equal(numpy.asarray(W.array), before)
    rule.hyperparam.lr = 0.1
    step(x, t)
    W.array = jax_device.send(numpy.full(W.shape, 100, numpy.float32))  # an array replaced
    step(x, t)
    assert numpy.abs(numpy.asarray(W.array) - 100).max() < 50  # one step away from 100
    assert optimizer.t == 8 and rule.t == 7  # the disabled rule's step did not count


def test_state_the_step_never_creates_is_left_alone(jax_device):
    model, optimizer = classifier(jax_device, 'SGD')
    with model.init_scope():
        model.unused = polychain.links.Linear(None, 3)  # the step never calls it
    step = polychain.jit(lambda x, t: optimizer.update(model, x, t), state=[optimizer])
    (x, t), = batches(1)
    x, t = jax_device.send(x), jax_device.send(t)
    for _ in range(3):
        step(x, t)
    with polychain.using_config('train', False):  # a new signature: one program, as usual
        step(x, t)
        step(x, t)
    assert (step.trace_count, step.eager_count) == (3, 0) and optimizer.t == 5
    assert model.predictor.l1.W.array is not None and model.unused.W.array is None
