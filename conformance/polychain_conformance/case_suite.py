"""What every suite shares (functions, links, models, optimizers, serialization): one cell per
case, dtype and device.

A suite names its cases, skips cells a device cannot run, maps known
failures to ``xfail``/``xpass`` and caches what the reference device gives
for each case and dtype. Subclasses say which checks a cell runs.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy

from polychain.backend import Device, get_device, get_device_from_array, to_host
from polychain.link import Link
from polychain_conformance.cells import SKIP, CellResult, mark_expected, supports_dtype
from polychain_conformance.checks import FAIL, NOT_RUN, PASS, CheckResult, compare
from polychain_conformance.spec import DTYPES
from polychain_conformance.xfails import EXPECTED_FAILURES, ExpectedFailure

HostArrays = dict[str, numpy.ndarray]


def case_seed(seed: int, case: str, dtype: str) -> int:
    """A 32-bit seed derived from the suite's seed, the case and the dtype."""
    return (seed * 1_000_003 + zlib.crc32(f'{case}/{dtype}'.encode())) % 2**32


def host_parameters(link: Link) -> HostArrays:
    """Host copies of the link's initialised parameters, by path."""
    return {path: numpy.array(to_host(param.array)) for path, param in link.namedparams()
            if param.array is not None}


def host_gradients(link: Link) -> HostArrays:
    """Host copies of the gradients of the link's parameters (zeros where there is none)."""
    # zeros_like of the host copy: the parameter's own dtype may be a backend's (strict).
    return {path: numpy.zeros_like(to_host(param.array)) if param.grad is None
            else numpy.array(to_host(param.grad)) for path, param in link.namedparams()
            if param.array is not None}


def check_identical(name: str, actual: HostArrays, expected: HostArrays, what: str) -> CheckResult:
    """Passes when both hold the same keys with bit-identical arrays of the same dtype."""
    if list(actual) != list(expected):
        return CheckResult(name, FAIL, f'{what}: the names differ: {list(actual)} vs '
                           f'{list(expected)}')
    different = [key for key in actual if actual[key].dtype != expected[key].dtype
                 or not numpy.array_equal(actual[key], expected[key],
                                          equal_nan=actual[key].dtype.kind in 'fc')]
    if different:
        return CheckResult(name, FAIL, f'{what}: not bit-identical: {", ".join(different)}')
    return CheckResult(name, PASS, max_abs_error=0.0, max_rel_error=0.0, atol=0.0, rtol=0.0)


def compare_named(name: str, actual: HostArrays, expected: HostArrays, atol: float, rtol: float,
                  what: str) -> CheckResult:
    """:func:`~polychain_conformance.checks.compare` over the arrays of two dictionaries."""
    if list(actual) != list(expected):
        return CheckResult(name, FAIL, f'{what}: the names differ: {list(actual)} vs '
                           f'{list(expected)}')
    return compare(name, list(actual.values()), list(expected.values()), atol, rtol, what)


def check_link_placement(name: str, link: Link, dtype: str, device: Device) -> CheckResult:
    """Every parameter of ``link`` (and its gradient) has ``dtype`` and lives on ``device``."""
    problems = []
    for path, param in link.namedparams():
        for what, array in (('', param.array), (' gradient', param.grad)):
            if array is None:
                continue
            if to_host(array).dtype != numpy.dtype(dtype):
                problems.append(f'{path}{what} has dtype {to_host(array).dtype}, expected {dtype}')
            if get_device_from_array(array) != device:
                problems.append(f'{path}{what} lives on {get_device_from_array(array)}, '
                                f'expected {device}')
    if problems:
        return CheckResult(name, FAIL, '; '.join(problems))
    return CheckResult(name, PASS)


class CaseSuite:
    """Runs cases on devices, one :class:`~polychain_conformance.cells.CellResult` per cell.

    Args:
        cases: The catalogue of the suite: objects with a unique ``name``, a
            ``label`` for reports and the ``dtypes`` they run in.
        expected_failures: Known failures (default: the suite's one list).
        seed: The base seed; every cell derives its own from it, the case and the dtype.
        reference_device: The device every other device is compared against.
    """

    def __init__(self, cases: Sequence[Any], expected_failures: Sequence[ExpectedFailure] =
                 EXPECTED_FAILURES, seed: int = 0, reference_device: str = '@numpy') -> None:
        self.cases = tuple(cases)
        self.expected_failures = tuple(expected_failures)
        self.seed = seed
        self.reference_device = reference_device
        self._references: dict[tuple[str, str], Any] = {}

    @property
    def names(self) -> list[str]:
        """The case names."""
        return [case.name for case in self.cases]

    def select(self, names: Iterable[str] | None = None) -> list[Any]:
        """The cases of ``names`` (all when ``None``); unknown names are an error."""
        if names is None:
            return list(self.cases)
        wanted = set(names)
        missing = wanted - set(self.names)
        if missing:
            raise ValueError(f'{type(self).__name__}.select: unknown cases {sorted(missing)}')
        return [case for case in self.cases if case.name in wanted]

    def run(self, devices: Sequence[Any], dtypes: Sequence[str] = DTYPES,
            cases: Iterable[str] | None = None) -> list[CellResult]:
        """Every case in every dtype it declares (among ``dtypes``) on every device."""
        devices = [get_device(d) for d in devices]
        return [self.run_cell(case, dtype, device) for case in self.select(cases)
                for dtype in DTYPES if dtype in dtypes and dtype in case.dtypes
                for device in devices]

    def run_cell(self, case: Any, dtype: str, device: Any) -> CellResult:
        """Runs the checks of ``case`` in ``dtype`` on ``device``; known failures are marked."""
        cell = self.checked_cell(case, dtype, get_device(device))
        mark_expected(cell, self.expected_failures)
        return cell

    def checked_cell(self, case: Any, dtype: str, device: Device) -> CellResult:
        """The cell of ``case`` in ``dtype`` on ``device``, before known failures are marked."""
        cell = CellResult(case.name, case.label, str(device), device.backend.name, dtype, PASS,
                          seed=self.seed)
        reason = self.skip_reason(case, dtype, device)
        if reason:
            cell.status, cell.reason = SKIP, reason
            return cell
        cell.checks = self.cell_checks(case, dtype, device, cell)
        if cell.failed_checks:
            cell.status = FAIL
        return cell

    def skip_reason(self, case: Any, dtype: str, device: Device) -> str:
        """Why the cell cannot run on ``device`` (empty when it can)."""
        if not supports_dtype(device, dtype):
            return f'{device.backend.describe()} has no {dtype}'
        return ''

    def cell_checks(self, case: Any, dtype: str, device: Device,
                    cell: CellResult) -> list[CheckResult]:
        """The checks of one cell, which may keep values on ``cell``: :meth:`checks` by default."""
        return self.checks(case, dtype, device)

    def checks(self, case: Any, dtype: str, device: Device) -> list[CheckResult]:
        """The checks of one cell; subclasses implement it (or :meth:`cell_checks`)."""
        raise NotImplementedError(f'{type(self).__name__}.checks: not implemented')

    def reference_outcome(self, case: Any, dtype: str, device: Device,
                          compute: Callable[[Device], Any]) -> tuple[Any, str]:
        """``compute(reference device)`` (cached per case and dtype) and ``''``; or ``None``
        and why there is nothing to compare with."""
        try:
            reference_device = get_device(self.reference_device)
        except Exception as error:  # an unusable reference only skips the comparison
            return None, f'reference device {self.reference_device} is unusable: {error}'
        if reference_device == device:
            return None, 'this is the reference device'
        key = (case.name, dtype)
        if key not in self._references:
            try:
                self._references[key] = compute(reference_device)
            except Exception:  # the reference device's own cell reports the crash
                self._references[key] = None
        if self._references[key] is None:
            return None, f'the case raised on {reference_device}'
        return self._references[key], ''


def not_run(names: Sequence[str], why: str) -> list[CheckResult]:
    """A :data:`~polychain_conformance.checks.NOT_RUN` result for each of ``names``."""
    return [CheckResult(name, NOT_RUN, why) for name in names]
