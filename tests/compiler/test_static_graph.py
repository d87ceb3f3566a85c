"""static_graph on JAX: forward and backward compiled, with the eager chain's numbers."""

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import static_code, static_graph
from polychain.compiler import EagerFallbackWarning


class StaticMLP(polychain.Chain):
    """Lazy Linear, BatchNormalization and dropout, with a static_code side effect."""

    def __init__(self) -> None:
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(None, 16)
            self.bn = L.BatchNormalization(16)
            self.l2 = L.Linear(16, 5)
        self.calls = 0

    @static_code
    def count_call(self):
        self.calls += 1

    @static_graph
    def __call__(self, x):
        self.count_call()
        return self.l2(F.dropout(F.relu(self.bn(self.l1(x))), 0.3))


class Unrolled(polychain.Chain):
    """A list of inputs in, a list of outputs out (Chainer's ptb example's shape)."""

    def __init__(self) -> None:
        super().__init__()
        with self.init_scope():
            self.l = L.Linear(4, 4)

    @static_graph
    def __call__(self, xs):
        return [F.tanh(self.l(x)) for x in xs]


def _train(device, static: bool, steps: int = 4):
    numpy.random.seed(0)
    device.seed(0)
    model = L.Classifier(StaticMLP())
    model.to_device(device)
    optimizer = polychain.optimizers.MomentumSGD(0.1).setup(model)
    rng = numpy.random.default_rng(0)
    losses = []
    with polychain.using_config('use_static_graph', static):
        for _ in range(steps):
            x = device.send(rng.standard_normal((8, 12)).astype(numpy.float32))
            t = device.send(rng.integers(0, 5, 8).astype(numpy.int32))
            optimizer.update(model, x, t)
            losses.append(float(model.loss.array))
    return losses, model


def test_a_compiled_static_chain_trains_as_the_eager_one(jax_device):
    eager, eager_model = _train(jax_device, False)
    compiled, model = _train(jax_device, True)
    numpy.testing.assert_allclose(compiled, eager, rtol=1e-5)
    programs, = model.predictor._static_programs.values()
    assert programs.forward_program.trace_count == 1  # the first call ran eagerly (lazy l1)
    assert programs.backward_program.trace_count == 1
    assert model.predictor.calls == eager_model.predictor.calls == 4  # static_code: once a call
    for name in ('avg_mean', 'avg_var'):
        numpy.testing.assert_allclose(numpy.asarray(getattr(model.predictor.bn, name)),
                                      numpy.asarray(getattr(eager_model.predictor.bn, name)),
                                      rtol=1e-4, atol=1e-6)


def test_gradients_reach_inputs_and_lists_of_outputs(jax_device):
    numpy.random.seed(0)
    chain = Unrolled()
    chain.to_device(jax_device)
    rng = numpy.random.default_rng(1)
    host = [rng.standard_normal((3, 4)).astype(numpy.float32) for _ in range(3)]
    results = {}
    for static in (False, True):
        xs = [polychain.Variable(jax_device.send(h)) for h in host]
        chain.cleargrads()
        with polychain.using_config('use_static_graph', static):
            ys = chain(xs)
            assert isinstance(ys, list) and len(ys) == 3
            F.sum(ys[0] * ys[2] + ys[1]).backward()
        results[static] = ([numpy.asarray(x.grad) for x in xs],
                           numpy.asarray(chain.l.W.grad))
    for got, expected in zip(results[True][0] + [results[True][1]],
                             results[False][0] + [results[False][1]]):
        numpy.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_a_new_input_shape_traces_again(jax_device):
    chain = Unrolled()
    chain.to_device(jax_device)
    for batch in (2, 2, 5, 5, 2):
        chain([jax_device.send(numpy.ones((batch, 4), numpy.float32))])
    programs, = chain._static_programs.values()
    assert programs.forward_program.trace_count == 2


def test_a_static_chain_whose_static_code_takes_arrays_runs_eagerly(jax_device):
    class Peek(polychain.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.l = L.Linear(4, 4)

        @static_code
        def show(self, h):
            print(h)

        @static_graph
        def __call__(self, x):
            h = self.l(x)
            self.show(h)
            return h

    chain = Peek()
    chain.to_device(jax_device)
    x = jax_device.send(numpy.ones((2, 4), numpy.float32))
    with pytest.warns(EagerFallbackWarning, match='Peek runs eagerly.*show receives an array'):
        y = chain(x)
    numpy.testing.assert_allclose(numpy.asarray(y.array), numpy.asarray(chain.l(x).array))
    chain(x)  # eagerly from now on, without a second warning
    programs, = chain._static_programs.values()
    assert programs.forward_program.trace_count == 1


def test_static_code_may_not_take_arrays_in_a_compiled_step(jax_device):
    @static_code
    def show(h):
        print(h)

    def step(x):
        show(x)
        return x

    with pytest.raises(TypeError, match='show receives an array'):
        polychain.jit(step)(jax_device.send(numpy.ones((2, 4), numpy.float32)))


def test_static_chains_on_numpy_run_eagerly():
    losses, model = _train(polychain.get_device('@numpy'), True)
    eager, _ = _train(polychain.get_device('@numpy'), False)
    assert losses == eager
    assert model.predictor.calls == 4


class Recurrent(polychain.Chain):
    """An LSTM whose state stays on the link between calls (Chainer's ptb example)."""

    def __init__(self) -> None:
        super().__init__()
        with self.init_scope():
            self.lstm = L.LSTM(3, 4)

    @static_graph
    def __call__(self, xs):
        return [self.lstm(x) for x in xs]


def test_link_state_carried_between_calls_is_an_input_not_a_constant(jax_device):
    rng = numpy.random.default_rng(2)
    sequences = [[jax_device.send(rng.standard_normal((2, 3)).astype(numpy.float32))
                  for _ in range(2)] for _ in range(4)]
    results = {}
    for static in (False, True):
        numpy.random.seed(0)
        chain = Recurrent()
        chain.to_device(jax_device)
        outputs, grads = [], []
        with polychain.using_config('use_static_graph', static):
            for xs in sequences:
                chain.cleargrads()
                ys = chain(xs)
                F.sum(ys[-1]).backward()
                chain.lstm.h.unchain_backward()  # truncated backprop, as the ptb example
                chain.lstm.c.unchain_backward()
                outputs.append(numpy.asarray(ys[-1].array))
                grads.append(numpy.asarray(chain.lstm.upward.W.grad))
        results[static] = outputs, grads
    for got, expected in zip(results[True][0] + results[True][1],
                             results[False][0] + results[False][1]):
        numpy.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
