"""static_graph and static_code run eagerly with Chainer's arguments and bookkeeping;
the small top-level names Fallback, get_compute_mode and cross_entropy."""

import contextlib

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import graph_optimizations
from polychain.compiler import EagerFallbackWarning
from polychain.compiler.jit import compiles
from polychain.function_node import static_forward_optimizations
from polychain.graph_optimizations.static_graph import ScheduleManager, static_graph

calls = []


@polychain.static_code
def note(x):
    calls.append('note')


@polychain.static_code(func_name='named')
def named_note():
    calls.append('named')


class StaticMLP(polychain.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 4, initialW=numpy.arange(12.0).reshape(4, 3) / 10)

    @static_graph(verbosity_level=0, enable_double_backprop=True)
    def __call__(self, x):
        note(x)
        named_note()
        return F.tanh(self.l1(x))

    def dynamic(self, x):
        return F.tanh(self.l1(x))


class Plain(polychain.Chain):
    @static_graph
    def __call__(self, x):
        return x * 2


def test_static_chain_gives_the_define_by_run_results_and_gradients(device):
    model = StaticMLP()
    model.to_device(device)
    x_data = device.send(numpy.linspace(-1, 1, 6, dtype=numpy.float32).reshape(2, 3))
    for step in range(2):
        model.cleargrads()
        x = polychain.Variable(x_data)
        # ``note(x)`` hands an array to static code, which a compiled forward cannot do: the
        # first call says so and runs eagerly.
        with pytest.warns(EagerFallbackWarning, match='note receives an array') \
                if step == 0 and compiles(device) else contextlib.nullcontext():
            y = model(x)
        F.sum(y * y).backward()
        gx, gw = x.grad, model.l1.W.grad
        model.cleargrads()
        x2 = polychain.Variable(x_data)
        y2 = model.dynamic(x2)
        F.sum(y2 * y2).backward()
        polychain.testing.assert_allclose(y.array, y2.array)
        polychain.testing.assert_allclose(gx, x2.grad)
        polychain.testing.assert_allclose(gw, model.l1.W.grad)
        model.cleargrads()


def test_static_code_runs_on_every_call_and_the_first_call_records_it():
    calls.clear()
    model = StaticMLP()
    x = numpy.ones((2, 3), numpy.float32)
    model(x)
    model(x)
    assert calls == ['note', 'named'] * 2
    schedule = model.static_schedule
    assert schedule.functions == ['note', 'named'] and schedule.calls == 2
    assert not schedule.is_empty()
    assert isinstance(model.schedule_manager, ScheduleManager)


def test_a_new_input_signature_gets_a_new_schedule():
    model = StaticMLP()
    model(numpy.ones((2, 3), numpy.float32))
    first = model.static_schedule
    model(numpy.ones((5, 3), numpy.float32))
    assert model.static_schedule is not first and model.static_schedule.calls == 1
    assert list(model.schedule_manager.schedules.values()) == [model.static_schedule]
    with polychain.using_config('train', False):
        model(numpy.ones((5, 3), numpy.float32))
    assert model.static_schedule.key[1] is False


def test_use_static_graph_off_leaves_the_chain_alone():
    model = Plain()
    with polychain.using_config('use_static_graph', False):
        y = model(numpy.ones(2, numpy.float32))
    assert not hasattr(model, 'schedule_manager') and not hasattr(model, 'static_schedule')
    numpy.testing.assert_array_equal(y, [2, 2])


def test_force_test_define_by_run_skips_the_bookkeeping_in_test_mode():
    class Chain(polychain.Chain):
        @static_graph(force_test_define_by_run=True)
        def __call__(self, x):
            return x + 1

    chain = Chain()
    with polychain.using_config('train', False):
        chain(numpy.zeros(1))
    assert not hasattr(chain, 'schedule_manager')
    chain(numpy.zeros(1))
    assert hasattr(chain, 'schedule_manager')


def test_nested_static_chains_and_bad_arguments_raise():
    class Outer(polychain.Chain):
        def __init__(self):
            super().__init__()
            with self.init_scope():
                self.inner = Plain()

        @static_graph
        def __call__(self, x):
            return self.inner(x)

    with pytest.raises(RuntimeError, match='nested'):
        Outer()(numpy.ones(1))
    with pytest.raises(TypeError, match='unknown_option'):
        static_graph(unknown_option=1)
    with pytest.raises(TypeError, match='Chain'):
        static_graph(lambda self: self)(object())
    with pytest.raises(TypeError, match='func_name'):
        polychain.static_code(name='x')


def test_static_forward_optimizations_runs_forward_and_records_it():
    node = polychain.basic_math.Neg()
    x = numpy.array([1.0, -2.0])
    assert numpy.array_equal(static_forward_optimizations(node, (x,))[0], -x)
    schedule = ScheduleManager().get_schedule((x,))
    with polychain.using_config('schedule_func', schedule):
        static_forward_optimizations(node, (x,))
    assert schedule.functions == [node.label]


def test_module_layout_follows_chainer():
    assert graph_optimizations.static_code is polychain.static_code
    assert graph_optimizations.static_graph.static_graph is polychain.static_graph


def test_fallback_and_compute_mode():
    assert repr(polychain.Fallback) == 'Fallback'
    assert polychain.get_compute_mode() is None
    with polychain.using_config('compute_mode', 'cudnn_fast'):
        assert polychain.get_compute_mode() == 'cudnn_fast'


def test_cross_entropy_is_entropy_plus_kl():
    p = polychain.distributions.Normal(numpy.array([0.0, 1.0]), numpy.array([1.0, 2.0]))
    q = polychain.distributions.Normal(numpy.array([1.0, 0.0]), numpy.array([2.0, 1.0]))
    expected = 0.5 * numpy.log(2 * numpy.pi * numpy.array([4.0, 1.0])) + \
        (numpy.array([1.0, 4.0]) + numpy.array([1.0, 1.0])) / (2 * numpy.array([4.0, 1.0]))
    polychain.testing.assert_allclose(polychain.cross_entropy(p, q).array, expected)
