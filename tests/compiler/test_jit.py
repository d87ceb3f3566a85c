"""polychain.jit: a step compiled on JAX gives the eager step's numbers and state."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.compiler import CompileError, EagerFallbackWarning
from polychain.functions.array._index_range import IndexOutOfRange

from .models import batches, classifier, train


@pytest.mark.parametrize('optimizer_name', ['SGD', 'MomentumSGD', 'Adam', 'AdaGrad', 'RMSprop'])
def test_compiled_steps_follow_the_eager_loss_curve(jax_device, optimizer_name):
    steps = batches(12)
    eager, eager_model, eager_opt, _ = train(jax_device, steps, False,
                                             optimizer_name=optimizer_name)
    compiled, model, optimizer, step = train(jax_device, steps, True,
                                             optimizer_name=optimizer_name)
    numpy.testing.assert_allclose(compiled, eager, rtol=1e-5)
    assert step.trace_count == 1 and step.eager_count == 1  # the first step creates state
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
    assert compiled == sent  # the first step runs eagerly: it sends them itself
    numpy.testing.assert_allclose(compiled, eager, rtol=1e-5)
    assert (step.eager_count, step.trace_count) == (1, 1)
    assert all(polychain.get_device_from_array(p.array) is jax_device for p in model.params())


def test_one_trace_per_signature_and_none_on_repeats(jax_device):
    model, optimizer = classifier(jax_device, 'SGD')
    step = polychain.jit(lambda x, t: optimizer.update(model, x, t), state=[optimizer])
    (x, t), = batches(1)
    x20, t20 = jax_device.send(x), jax_device.send(t)
    x10, t10 = jax_device.send(x[:10]), jax_device.send(t[:10])
    step(x20, t20)  # eager: creates the lazy parameters and the optimizer state
    assert (step.trace_count, step.eager_count) == (0, 1)
    for _ in range(3):
        step(x20, t20)
    assert step.trace_count == 1
    # A new batch size is a new signature; so is, on the next call, the new shape of the
    # output Classifier keeps as model.y (the Variables links keep are state too).
    for _ in range(3):
        step(x10, t10)
    assert step.trace_count == 3
    for _ in range(3):
        step(x20, t20)
    assert step.trace_count == 4  # batch 20 after a batch of 10: model.y of 10 rows
    with polychain.using_config('train', False):  # a new configuration
        step(x20, t20)
    step(x20, t20)
    assert step.trace_count == 5
    optimizer.lr = 0.5  # a new hyperparameter value
    step(x20, t20)
    step(x20, t20)
    assert step.trace_count == 6


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
    step(x, t)  # eager
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
    step(x, t)  # eager: gradients as an eager update leaves them
    assert all(p.grad is not None for p in model.params())
    for _ in range(2):
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
    assert step.trace_count == 2
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
