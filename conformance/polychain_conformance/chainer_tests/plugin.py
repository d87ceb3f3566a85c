"""pytest plugin that runs Chainer's own tests against polychain.

Loaded by ``python -m polychain_conformance.chainer_tests`` only. Importing it
makes ``chainer`` an alias of ``polychain``, puts the stand-in ``chainerx`` on
``sys.path`` (Chainer's conftest imports both before any hook runs) and gives
back the NumPy 1 names the tests use. It
deselects tests marked for hardware or packages polychain does not use, marks
the entries of the expected-failure file, adds the ``--chainer-device``
devices to every ``inject_backend_tests``, and writes the per-folder report.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import polychain.testing.backend  # noqa: F401 (takes pytest's marks before Chainer's conftest)
from polychain_conformance.chainer_tests import alias, isolation, numpy_aliases
from polychain_conformance.chainer_tests.expectations import DEFAULT_PATH, Expectations, read
from polychain_conformance.chainer_tests.tally import Tally

alias.install()
numpy_aliases.restore()
_STANDIN = str(Path(__file__).with_name('standin'))
if _STANDIN not in sys.path:
    sys.path.insert(0, _STANDIN)

#: Marks of tests that need CUDA, cuDNN, ChainerX, iDeep or Theano: deselected.
HARDWARE_MARKS = ('gpu', 'multi_gpu', 'cudnn', 'chainerx', 'ideep', 'theano')


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup('chainer-tests', "Chainer's tests on polychain")
    group.addoption('--chainer-device', action='append', default=[], metavar='SPEC',
                    help='a polychain device added to every inject_backend_tests '
                         '(repeatable), e.g. @jax:cpu:0')
    group.addoption('--chainer-report', metavar='PATH.md',
                    help='write the per-folder Markdown report here')
    group.addoption('--chainer-expected-failures', default=str(DEFAULT_PATH), metavar='PATH',
                    help='the expected-failure file (default: the one shipped)')


def pytest_configure(config: pytest.Config) -> None:
    from polychain.testing.backend import add_injected_devices
    devices = config.getoption('--chainer-device')
    add_injected_devices(devices)
    config.stash[_TALLY] = Tally(devices)
    config.stash[_EXPECTED] = Expectations(read(Path(config.getoption(
        '--chainer-expected-failures'))))


_TALLY = pytest.StashKey[Tally]()
_EXPECTED = pytest.StashKey[Expectations]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept, deselected = [], []
    for item in items:
        if any(item.get_closest_marker(mark) for mark in HARDWARE_MARKS):
            deselected.append(item)
            continue
        reason = config.stash[_EXPECTED].reason(item.nodeid)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=False))
        kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        config.stash[_TALLY].add_deselected(item.nodeid for item in deselected)
    items[:] = kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> object:
    """Puts back the configuration a test leaves changed (a failed ``setUp`` skips ``tearDown``)."""
    state = isolation.snapshot()
    try:
        return (yield)
    finally:
        isolation.restore(state)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> pytest.CollectReport:
    """A listed file that fails to import is skipped, giving the reason of its entry."""
    report = yield
    if report.failed and isinstance(collector, pytest.Module):
        reason = collector.config.stash[_EXPECTED].reason(report.nodeid)
        if reason is not None:
            report.outcome = 'skipped'
            report.longrepr = (str(collector.path), 0, f'Skipped: not collected: {reason}')
            report.uncollected_reason = reason
    return report


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _session_tally[0].add_collection_error(report.nodeid)
    elif hasattr(report, 'uncollected_reason'):
        _session_tally[0].add_collection_error(report.nodeid, report.uncollected_reason)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _session_tally[0].add_report(report)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """Takes the deselected tests of an xdist worker (every worker collects them all)."""
    output = getattr(node, 'workeroutput', {})
    if 'chainer_deselected' in output:
        _session_tally[0].set_deselected(output['chainer_deselected'])


#: The tally of this process (on an xdist controller, the one every worker reports to).
_session_tally: list[Tally] = []


def pytest_sessionstart(session: pytest.Session) -> None:
    _session_tally[:] = [session.config.stash[_TALLY]]


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    tally = config.stash[_TALLY]
    if hasattr(config, 'workerinput'):
        config.workeroutput['chainer_deselected'] = tally.deselected_ids()
        return
    path = config.getoption('--chainer-report')
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(tally.markdown(), encoding='utf-8')


def pytest_terminal_summary(terminalreporter: object, config: pytest.Config) -> None:
    if hasattr(config, 'workerinput'):
        return
    terminalreporter.write_line('')
    for line in config.stash[_TALLY].summary_lines():
        terminalreporter.write_line(line)
