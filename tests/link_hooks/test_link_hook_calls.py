"""Link hooks around link calls: global (``with hook:``), local (``add_hook``), TimerHook."""

from __future__ import annotations

import io

import numpy
import pytest

import polychain
import polychain.links as L
from polychain.link_hooks import LinkHook, TimerHook, get_link_hooks


class Recorder(LinkHook):
    name = 'Recorder'

    def __init__(self):
        self.events = []

    def added(self, link=None):
        self.events.append(('added', link))

    def deleted(self, link=None):
        self.events.append(('deleted', link))

    def forward_preprocess(self, args):
        self.events.append(('pre', type(args.link).__name__, args.forward_name, len(args.args),
                            sorted(args.kwargs)))

    def forward_postprocess(self, args):
        shape = None if args.out is None else tuple(args.out.shape)
        self.events.append(('post', type(args.link).__name__, shape))


def _model(device):
    numpy.random.seed(0)
    model = polychain.Sequential(L.Linear(3, 4), L.Linear(4, 2))
    return model.to_device(device)


def _x(device):
    return device.send(numpy.ones((5, 3), dtype='f'))


def test_a_global_hook_sees_every_link_call_in_order(device):
    model = _model(device)
    with Recorder() as hook:
        assert get_link_hooks() == {'Recorder': hook}
        model(_x(device))
    assert hook.events == [
        ('added', None),
        ('pre', 'Sequential', 'forward', 1, []), ('pre', 'Linear', 'forward', 1, []),
        ('post', 'Linear', (5, 4)), ('pre', 'Linear', 'forward', 1, []),
        ('post', 'Linear', (5, 2)), ('post', 'Sequential', (5, 2)),
        ('deleted', None)]
    assert get_link_hooks() == {}
    assert polychain.Link._hooked == 0


def test_a_local_hook_sees_its_link_only_and_keyword_arguments(device):
    numpy.random.seed(0)
    link = L.Linear(3, 2).to_device(device)
    other = L.Linear(3, 2).to_device(device)
    hook = Recorder()
    assert link.add_hook(hook) is link
    assert link.local_link_hooks == {'Recorder': hook}
    link(x=_x(device))
    other(_x(device))
    assert hook.events == [('added', link), ('pre', 'Linear', 'forward', 0, ['x']),
                           ('post', 'Linear', (5, 2))]
    link.delete_hook('Recorder')
    assert hook.events[-1] == ('deleted', link)
    link(_x(device))
    assert len(hook.events) == 4


def test_hooks_keep_the_results(device):
    model = _model(device)
    x = _x(device)
    expected = polychain.backend.to_host(model(x).array)
    with TimerHook():
        y = model(x)
    numpy.testing.assert_array_equal(polychain.backend.to_host(y.array), expected)


def test_hook_names_must_be_unique_on_a_link():
    link = L.Linear(3, 2)
    link.add_hook(Recorder())
    with pytest.raises(KeyError, match="'Recorder' is already attached"):
        link.add_hook(Recorder())
    with pytest.raises(KeyError, match="no hook named 'Nope'"):
        link.delete_hook('Nope')


def test_timer_link_hook_counts_calls_per_link_class(device):
    model = _model(device)
    x = _x(device)
    with TimerHook() as hook:
        for _ in range(2):
            model(x)
    summary = hook.summary()
    assert summary['Linear']['occurrence'] == 4
    assert summary['Sequential']['occurrence'] == 2
    # Linear calls happen inside Sequential: the total counts the outer calls only.
    assert hook.total_time() == pytest.approx(summary['Sequential']['elapsed_time'])
    out = io.StringIO()
    hook.print_report(file=out)
    header, *rows = out.getvalue().splitlines()
    assert header.split() == ['LinkName', 'ElapsedTime', 'Occurrence']
    assert sorted(row.split()[0] for row in rows) == ['Linear', 'Sequential']


class Broken(polychain.Link):
    def forward(self, x):
        raise RuntimeError('forward failed')


def test_postprocess_runs_after_a_failed_forward():
    link = Broken()
    hook = Recorder()
    link.add_hook(hook)
    with pytest.raises(RuntimeError, match='forward failed'):
        link(numpy.ones(2, 'f'))
    assert hook.events[-2][:2] == ('pre', 'Broken')
    assert hook.events[-1] == ('post', 'Broken', None)
