"""Function hooks: global (``with hook:``) and local (``add_hook``), forward and backward."""

from __future__ import annotations

import io

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import Variable
from polychain.function_hooks import FunctionHook, PrintHook, TimerHook, get_function_hooks
from polychain.function_node import FunctionNode
from polychain.functions.activation.tanh import Tanh
from polychain.functions.math.basic_math import Mul


class Recorder(FunctionHook):
    """Records every callback with the function's label."""

    name = 'Recorder'

    def __init__(self):
        self.events = []

    def added(self, function=None):
        self.events.append(('added', function))

    def deleted(self, function=None):
        self.events.append(('deleted', function))

    def forward_preprocess(self, function, in_data):
        self.events.append(('forward_pre', function.label, len(in_data)))

    def forward_postprocess(self, function, in_data):
        self.events.append(('forward_post', function.label, len(in_data)))

    def backward_preprocess(self, function, in_data, out_grad):
        self.events.append(('backward_pre', function.label, len(in_data), len(out_grad)))

    def backward_postprocess(self, function, in_data, out_grad):
        self.events.append(('backward_post', function.label, len(in_data), len(out_grad)))


def _x(device, shape=(2, 3)):
    return Variable(device.send(numpy.arange(numpy.prod(shape), dtype='f').reshape(shape)))


def test_a_global_hook_sees_forward_and_backward_of_every_function(device):
    x = _x(device)
    with Recorder() as hook:
        assert get_function_hooks() == {'Recorder': hook}
        y = F.sum(F.tanh(x))
        y.backward()
    assert hook.events[0] == ('added', None)
    assert hook.events[-1] == ('deleted', None)
    calls = hook.events[1:-1]
    assert calls[:4] == [('forward_pre', 'Tanh', 1), ('forward_post', 'Tanh', 1),
                         ('forward_pre', 'Sum', 1), ('forward_post', 'Sum', 1)]
    backward = [event for event in calls if event[0].startswith('backward')]
    assert backward[0] == ('backward_pre', 'Sum', 1, 1)
    assert ('backward_post', 'Tanh', 1, 1) in backward
    assert get_function_hooks() == {}


def test_hooks_apply_only_inside_the_block(device):
    x = _x(device)
    hook = Recorder()
    with hook:
        F.exp(x)
    F.exp(x)
    assert [e for e in hook.events if e[0] == 'forward_pre'] == [('forward_pre', 'Exp', 1)]
    assert FunctionNode._hooked == 0


def test_a_local_hook_applies_to_its_function_only(device):
    x = _x(device)
    hook = Recorder()
    node = Tanh()
    node.add_hook(hook)
    assert hook.events == [('added', node)]
    y, = node.apply((x,))
    F.exp(x)
    assert [e[:2] for e in hook.events[1:]] == [('forward_pre', 'Tanh'), ('forward_post', 'Tanh')]
    F.sum(y).backward()
    assert ('backward_pre', 'Tanh', 1, 1) in hook.events
    node.delete_hook('Recorder')
    assert hook.events[-1] == ('deleted', node)
    assert node.local_function_hooks == {}


def test_hook_names_must_be_unique():
    node = FunctionNode()
    node.add_hook(Recorder())
    with pytest.raises(KeyError, match="'Recorder' is already attached"):
        node.add_hook(Recorder())
    with pytest.raises(KeyError, match="no hook named 'Other'"):
        node.delete_hook('Other')
    with Recorder():
        with pytest.raises(KeyError, match='already active'):
            with Recorder():
                pass
    assert get_function_hooks() == {}


def test_a_failing_block_still_unregisters_the_hook():
    with pytest.raises(RuntimeError):
        with Recorder():
            raise RuntimeError('boom')
    assert get_function_hooks() == {}
    assert FunctionNode._hooked == 0


def test_timer_hook_counts_calls_and_reports_them(device):
    x = _x(device)
    with TimerHook() as hook:
        for _ in range(3):
            F.sum(F.tanh(x)).backward()
    summary = hook.summary()
    # Tanh: 3 forwards and 3 backwards (each backward is a Tanh-labelled node).
    assert summary['Tanh']['occurrence'] == 6
    assert summary['Sum']['occurrence'] == 6
    assert all(entry['elapsed_time'] > 0 for entry in summary.values())
    outermost = sum(elapsed for _, elapsed in hook.call_history)
    assert 0 < hook.total_time() <= outermost
    out = io.StringIO()
    hook.print_report(file=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ['FunctionName', 'ElapsedTime', 'Occurrence']
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows['Tanh'][2] == '6'
    assert rows['Sum'][1].endswith(('sec', 'ms', 'us', 'ns'))


def test_timer_hook_report_units():
    hook = TimerHook()
    hook.call_history = [('Linear', 0.5), ('Linear', 0.25), ('ReLU', 2e-6)]
    out = io.StringIO()
    hook.print_report(unit='ms', file=out)
    assert out.getvalue().splitlines()[1].split() == ['Linear', '750.00ms', '2']
    out = io.StringIO()
    hook.print_report(file=out)
    assert out.getvalue().splitlines()[2].split() == ['ReLU', '2.00us', '1']
    with pytest.raises(ValueError, match="received 'hours'"):
        hook.print_report(unit='hours')


def test_print_hook_describes_inputs_and_gradients(device):
    x = _x(device)
    out = io.StringIO()
    with PrintHook(file=out):
        F.sum(x * 2).backward()
    text = out.getvalue()
    assert 'function\t_ * 2' in text
    assert 'function\tSum' in text
    assert '- shape: (2, 3)' in text
    assert 'output gradient' in text
    assert f'- device: {device}' in text


def test_hooks_do_not_change_results(device):
    x = _x(device)
    expected = polychain.backend.to_host(F.tanh(x).array)
    with TimerHook(), PrintHook(file=io.StringIO()):
        y = F.tanh(x)
        F.sum(y).backward()
    numpy.testing.assert_array_equal(polychain.backend.to_host(y.array), expected)
    assert x.grad is not None


class Failing(FunctionNode):
    def forward(self, inputs):
        raise RuntimeError('forward failed')


def test_timer_hook_stays_consistent_after_a_failed_forward(device):
    x = _x(device)
    with TimerHook() as hook:
        with pytest.raises(RuntimeError, match='forward failed'):
            Failing().apply((x,))
        F.exp(x)
    assert [name for name, _ in hook.call_history] == ['Failing', 'Exp']
    # Both calls were outermost: the failed one closed its measurement.
    assert hook.total_time() == pytest.approx(sum(t for _, t in hook.call_history))


def test_timer_hook_names_functions_by_class_and_times_nested_calls():
    x = Variable(numpy.ones(3, numpy.float32))
    with TimerHook() as hook:
        x * x
    assert [name for name, _ in hook.call_history] == ['Mul']
    outer, inner = Mul(), Tanh()  # never applied: they have no device yet
    hook = TimerHook()
    hook.backward_preprocess(outer, (x.array,), (x.array,))
    hook.forward_preprocess(inner, (x.array,))
    hook.forward_postprocess(inner, (x.array,))
    hook.backward_postprocess(outer, (x.array,), (x.array,))
    assert [name for name, _ in hook.call_history] == ['Tanh', 'Mul']
    assert hook.total_time() == pytest.approx(hook.call_history[1][1])
