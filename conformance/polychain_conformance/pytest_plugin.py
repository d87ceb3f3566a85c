"""pytest plugin: conformance cells as test outcomes, and the run's cells as a report.

Tests turn a :class:`~polychain_conformance.runner.CellResult` into their
outcome with the ``conformance_outcome`` fixture. With
``--conformance-report PATH.md`` the cells every test checked are written as
the Markdown matrix (and as JSON beside it, ``PATH.json``) at the end of the
run, also when pytest-xdist spreads the tests over workers: each cell travels
to the controller as a user property of its test report.

``--conformance-xfails FILE`` (repeatable) and the ini option
``conformance_xfails`` (paths relative to the ini file) name TOML files of
expected failures (see :func:`~polychain_conformance.xfails.read_expected_failures`),
which the fixture applies to every cell it concludes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from polychain.backend import get_device
from polychain_conformance.report import Report, cell_from_json, cell_to_json, make_header, write
from polychain_conformance.runner import PASS, SKIP, XFAIL, CellResult, mark_expected
from polychain_conformance.xfails import ExpectedFailure, read_expected_failures

_PROPERTY = 'polychain_conformance_cell'
_XFAILS = pytest.StashKey[tuple[ExpectedFailure, ...]]()
#: The device every cell is compared with by the test suites.
REFERENCE_DEVICE = '@numpy'


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup('polychain conformance').addoption(
        '--conformance-report', type=Path, metavar='PATH.md', default=None,
        help='write the conformance cells this run checked as a Markdown matrix to PATH.md '
             '(and as JSON to PATH.json)')
    parser.getgroup('polychain conformance').addoption(
        '--conformance-xfails', action='append', metavar='FILE', default=[],
        help='a TOML file of expected conformance failures ([[expected_failure]] tables with '
             'case, backend, reason, optionally dtype; a path or package:file); repeatable')
    parser.addini('conformance_xfails', type='paths', default=[],
                  help='TOML files of expected conformance failures, relative to the ini file')


def pytest_configure(config: pytest.Config) -> None:
    sources = [*config.getini('conformance_xfails'), *config.getoption('conformance_xfails')]
    try:
        config.stash[_XFAILS] = sum((read_expected_failures(s) for s in sources), ())
    except (OSError, ValueError) as error:
        raise pytest.UsageError(f'conformance xfails: {error}') from None
    path = config.getoption('conformance_report')
    is_worker = hasattr(config, 'workerinput')
    if path is not None and not is_worker:
        config.pluginmanager.register(_ReportWriter(path), 'polychain_conformance_report')


@pytest.fixture
def conformance_outcome(request: pytest.FixtureRequest) -> Callable[[CellResult], None]:
    """A function that records a cell for the report and makes it the test's outcome:
    skipped, expected to fail, passed, or failed with the cell's account of its checks."""

    def conclude(cell: CellResult) -> None:
        mark_expected(cell, request.config.stash[_XFAILS])
        request.node.user_properties.append((_PROPERTY, cell_to_json(cell)))
        if cell.status == SKIP:
            pytest.skip(cell.reason)
        if cell.status == XFAIL:
            pytest.xfail(cell.reason)
        assert cell.status == PASS, cell.describe()

    return conclude


class _ReportWriter:
    """Collects the recorded cells from every test report and writes them at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cells: list[CellResult] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != 'call':
            return
        for name, value in report.user_properties:
            if name == _PROPERTY:
                self.cells.append(cell_from_json(value))

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if not self.cells:
            return
        cells = sorted(self.cells, key=lambda c: (c.case, c.device, c.dtype))
        report = Report(_header(cells), cells)
        write(report, self.path, self.path.with_suffix('.json'))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.cells:
            terminalreporter.write_line(
                f'conformance report: {len(self.cells)} cells written to {self.path}')


def _header(cells: list[CellResult]) -> dict[str, Any]:
    devices = [get_device(spec) for spec in dict.fromkeys(cell.device for cell in cells)]
    dtypes = list(dict.fromkeys(cell.dtype for cell in cells))
    seed = cells[0].seed
    return make_header(devices, get_device(REFERENCE_DEVICE), dtypes, seed, None)
