"""Shared fixtures: every backend test runs on each available device and dtype.

``POLYCHAIN_TEST_DEVICES`` (comma-separated specifiers) narrows the devices,
e.g. ``POLYCHAIN_TEST_DEVICES=@jax:cpu:0`` in the jax tox environment.
"""

from __future__ import annotations

import collections
import compileall
import importlib.util
import os
import sys
from pathlib import Path

import numpy
import pytest

import polychain
from polychain.backend import BackendUnavailable

#: XLA settings that compile the thousands of small programs eager JAX runs here about 40 %
#: faster: XLA's older CPU code emitters, and no LLVM optimisation of the machine code (the
#: same programs, computing the same IEEE results; every conformance cell passes either way).
#: Set before JAX starts its CPU client; a flag that ``XLA_FLAGS`` sets already wins.
FAST_COMPILE_XLA_FLAGS = {'xla_cpu_use_fusion_emitters': 'false',
                          'xla_backend_optimization_level': '0'}
os.environ['XLA_FLAGS'] = ' '.join(
    [os.environ.get('XLA_FLAGS', '')] + [f'--{name}={value}' for name, value
                                         in FAST_COMPILE_XLA_FLAGS.items()
                                         if name not in os.environ.get('XLA_FLAGS', '')]).strip()

#: Test folders whose tests take seconds each: they run first, so that the workers of
#: pytest-xdist end the run on short tests and finish together.
SLOW_FIRST = ('tests/examples/',)
#: The fixture that runs Chainer's example scripts, unchanged, in other processes (each trains
#: a network for an iteration or an epoch): its tests are marked ``slow``, which the README's
#: test command leaves out (``pytest -m slow`` runs them; ``.ci/run`` runs both).
WHOLE_PROGRAM_FIXTURES = ('run_examples',)


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m deselects the marked tests
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW_FIRST))  # stable
    for item in items:
        if any(name in WHOLE_PROGRAM_FIXTURES for name in getattr(item, 'fixturenames', ())):
            item.add_marker(pytest.mark.slow)


#: The project's source folders, compiled once per run (see :func:`pytest_configure`).
SOURCE_FOLDERS = ('polychain', 'backends', 'conformance', 'examples')


def pytest_configure(config: pytest.Config) -> None:
    """Where Python writes no bytecode (``PYTHONDONTWRITEBYTECODE``), every example script,
    MPI rank and pytest worker the tests start would compile the project's modules again
    (about 0.5 s a process): the controlling process compiles them once, before the workers
    start."""
    if sys.dont_write_bytecode and not hasattr(config, 'workerinput'):
        root = Path(__file__).resolve().parents[1]
        for folder in SOURCE_FOLDERS:
            compileall.compile_dir(root / folder, quiet=2)


#: ``pytester`` runs pytest on generated files (tests/test_summary.py checks the summary below).
pytest_plugins = ('pytester',)

CANDIDATE_DEVICES = ('@numpy', '@jax:cpu:0', '@strict', '@cupy:0')


def _selected_devices() -> list[str]:
    chosen = os.environ.get('POLYCHAIN_TEST_DEVICES')
    if chosen:
        return [spec.strip() for spec in chosen.split(',') if spec.strip()]
    return list(CANDIDATE_DEVICES)


def _device_params() -> list:
    params = []
    for spec in _selected_devices():
        try:
            polychain.get_device(spec)
        except (ValueError, BackendUnavailable) as error:
            params.append(pytest.param(spec, marks=pytest.mark.skip(
                reason=f'{spec} is not usable here: {error}'), id=spec))
            continue
        params.append(pytest.param(spec, id=spec))
    return params


@pytest.fixture(params=_device_params())
def device(request):
    """A usable :class:`polychain.backend.Device`, one per available backend."""
    return polychain.get_device(request.param)


@pytest.fixture(params=['float32', 'float64'])
def dtype(request):
    """The floating dtypes every function supports, as NumPy dtypes."""
    return numpy.dtype(request.param)


@pytest.fixture
def tolerance(dtype):
    """(atol, rtol) for gradient checks in ``dtype``."""
    return {'float32': (1e-3, 1e-3), 'float64': (1e-7, 1e-6)}[dtype.name]


@pytest.fixture
def rng():
    """A seeded host generator for test inputs."""
    return numpy.random.default_rng(0)


def _outcome_reason(report) -> str:
    """Why a test was skipped or expected to fail, without pytest's prefixes."""
    if hasattr(report, 'wasxfail'):
        reason = report.wasxfail
    elif isinstance(report.longrepr, tuple):
        reason = report.longrepr[2]
    else:
        reason = str(report.longrepr)
    for prefix in ('Skipped: ', 'reason: '):
        reason = reason.removeprefix(prefix)
    return reason.splitlines()[0] if reason else '(no reason given)'


#: How many reasons the summary names per outcome; the rest are counted together.
SUMMARY_REASONS = 12


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Skipped and xfailed tests grouped by reason with counts, instead of a line per test
    (``-rs`` / ``-rx`` / ``-ra`` still list each test)."""
    shown = config.option.reportchars
    for outcome, char in (('skipped', 's'), ('xfailed', 'x')):
        if char in shown or 'a' in shown or 'A' in shown:
            continue
        reports = terminalreporter.stats.get(outcome, ())
        if not reports:
            continue
        counts = collections.Counter(_outcome_reason(r) for r in reports)
        terminalreporter.write_sep('-', f'{len(reports)} {outcome}, by reason '
                                        f'(-r{char} lists each test)')
        for reason, count in counts.most_common(SUMMARY_REASONS):
            terminalreporter.write_line(f'{count:6d}  {reason}')
        rest = counts.most_common()[SUMMARY_REASONS:]
        if rest:
            terminalreporter.write_line(f'{sum(c for _, c in rest):6d}  ({len(rest)} other '
                                        f'reasons)')


@pytest.fixture(scope='session')
def import_cycles_tool():
    """``benchmarks/import_cycles.py`` loaded as a module: the package's import graph, its
    cycles (``cycles(root)``) and the imports inside functions of a file."""
    path = Path(polychain.__file__).parents[1] / 'benchmarks' / 'import_cycles.py'
    spec = importlib.util.spec_from_file_location('import_cycles', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope='session')
def package_import_cycles(import_cycles_tool) -> list:
    """The import cycles of the polychain package (computed once: it parses every module)."""
    return import_cycles_tool.cycles(Path(polychain.__file__).parent)
