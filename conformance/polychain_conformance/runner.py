"""Running the catalogue: one cell is one case variant in one dtype on one device."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy

from polychain.backend import Device, get_device, to_host
from polychain_conformance.arguments import Draw, draw, place
from polychain_conformance.catalogue import CASES, variants
from polychain_conformance.checks import (
    FAIL,
    NOT_RUN,
    PASS,
    CheckResult,
    HostValues,
    backward_pass,
    check_cross_device,
    check_first_order,
    check_forward,
    check_properties,
    check_second_order,
    check_unmodified,
    describe_exception,
    forward_pass,
)
from polychain_conformance.spec import DTYPES, Case, Variant
from polychain_conformance.xfails import EXPECTED_FAILURES, ExpectedFailure, expected_failure

SKIP, XFAIL, XPASS = 'skip', 'xfail', 'xpass'
#: Every status a cell can have, in the order reports count them.
STATUSES = (PASS, FAIL, XFAIL, XPASS, SKIP)


@dataclass
class CellResult:
    """The outcome of one case variant in one dtype on one device.

    Attributes:
        case: The variant id (``tanh`` or ``tanh[strided]``).
        function: The function under test, as reports name it (``F.tanh``).
        device: The device specifier.
        backend: The backend name.
        dtype: The dtype name.
        status: One of :data:`STATUSES`.
        checks: The individual checks.
        seed: The suite's base seed, which reproduces this cell.
        reason: Why the cell was skipped or is expected to fail.
    """

    case: str
    function: str
    device: str
    backend: str
    dtype: str
    status: str
    checks: list[CheckResult] = field(default_factory=list)
    seed: int = 0
    reason: str = ''
    values: HostValues | None = field(default=None, repr=False, compare=False)

    @property
    def failed_checks(self) -> list[CheckResult]:
        """The checks that failed."""
        return [c for c in self.checks if c.status == FAIL]

    def describe(self) -> str:
        """A multi-line account of the failed checks (or the reason), for humans."""
        head = (f'{self.case} ({self.function}) on {self.device} in {self.dtype}: {self.status}'
                f' (seed {self.seed})')
        lines = [head] + ([f'  {self.reason}'] if self.reason else [])
        lines += [f'  {c.name}: {c.message}' for c in self.failed_checks]
        return '\n'.join(lines)


def mark_expected(cell: CellResult, failures: Sequence[ExpectedFailure]) -> None:
    """Turns a failed cell that ``failures`` list into ``xfail``, a passed one into ``xpass``."""
    failure = expected_failure(failures, cell.case, cell.backend, cell.dtype)
    if failure is not None and cell.status in (PASS, FAIL):
        cell.status = XFAIL if cell.status == FAIL else XPASS
        cell.reason = failure.reason


def supports_dtype(device: Device, dtype: str) -> bool:
    """Whether the device's namespace has ``dtype``."""
    return getattr(device.namespace, dtype, None) is not None


class ConformanceSuite:
    """Runs catalogue cases on devices and compares them with a reference device.

    Args:
        cases: The catalogue (default: all of :data:`~polychain_conformance.CASES`).
        expected_failures: Known failures (default: :data:`EXPECTED_FAILURES`).
        seed: The base seed; every cell derives its own from it, the case and the dtype.
        reference_device: The device every other device is compared against.
    """

    def __init__(self, cases: Sequence[Case] = CASES,
                 expected_failures: Sequence[ExpectedFailure] = EXPECTED_FAILURES,
                 seed: int = 0, reference_device: str = '@numpy') -> None:
        self.cases = tuple(cases)
        self.expected_failures = tuple(expected_failures)
        self.seed = seed
        self.reference_device = reference_device
        self._draws: dict[tuple[str, str], Draw] = {}
        self._references: dict[tuple[str, str], CellResult] = {}

    def variants(self, names: Iterable[str] | None = None) -> list[Variant]:
        """The variants of the cases, only those of ``names`` when given."""
        wanted = None if names is None else set(names)
        found = [v for v in variants(self.cases)
                 if wanted is None or v.case.name in wanted or v.id in wanted]
        if wanted is not None:
            missing = wanted - {v.case.name for v in found} - {v.id for v in found}
            if missing:
                raise ValueError(f'ConformanceSuite.variants: unknown cases {sorted(missing)}')
        return found

    def run(self, devices: Sequence[Any], dtypes: Sequence[str] = DTYPES,
            cases: Iterable[str] | None = None) -> list[CellResult]:
        """Every variant in every dtype it declares (among ``dtypes``) on every device."""
        devices = [get_device(d) for d in devices]
        cells = []
        for variant in self.variants(cases):
            for dtype in (d for d in DTYPES if d in dtypes and d in variant.case.dtypes):
                for device in devices:
                    cells.append(self.run_cell(variant, dtype, device))
        return cells

    def run_cell(self, variant: Variant, dtype: str, device: Any) -> CellResult:
        """Checks one variant in one dtype on one device, including the cross-device check."""
        device = get_device(device)
        cell = self._checked_cell(variant, dtype, device)
        if cell.status != SKIP:
            cell.checks.append(self._cross_device(variant, dtype, device, cell))
            if cell.failed_checks:
                cell.status = FAIL
        mark_expected(cell, self.expected_failures)
        return cell

    def _draw(self, case: Case, dtype: str) -> Draw:
        key = (case.name, dtype)
        if key not in self._draws:
            self._draws[key] = draw(case, dtype, self.seed)
        return self._draws[key]

    def _checked_cell(self, variant: Variant, dtype: str, device: Device) -> CellResult:
        case = variant.case
        cell = CellResult(variant.id, case.label, str(device), device.backend.name, dtype,
                          PASS, seed=self.seed)
        if not supports_dtype(device, dtype):
            cell.status, cell.reason = SKIP, f'{device.backend.describe()} has no {dtype}'
            return cell
        cell.checks = self._checks(variant, dtype, device, cell)
        if cell.failed_checks:
            cell.status = FAIL
        return cell

    def _checks(self, variant: Variant, dtype: str, device: Device,
                cell: CellResult) -> list[CheckResult]:
        case = variant.case
        tolerance = case.tolerance(dtype)
        drawn = self._draw(case, dtype)
        args = place(variant, drawn, device)
        try:
            variables, outputs = forward_pass(args)
        except Exception as error:  # a crash of the function is a failure
            return [CheckResult('forward', FAIL, describe_exception(error))] + [
                CheckResult(name, NOT_RUN, 'the forward pass raised')
                for name in ('outputs', 'backward', 'double_backward', 'inputs_unmodified')]
        host_outputs = tuple(to_host(y.array) for y in outputs)
        differentiable = [a for a, skip in zip(args.arrays, args.no_grads) if not skip]
        try:
            grads = [] if case.forward_only else backward_pass(args, variables, outputs)
        except Exception:  # the backward check below reports it
            grads = None
        else:
            cell.values = HostValues(host_outputs, tuple(
                numpy.zeros(tuple(a.shape), dtype) if g is None else to_host(g.array)
                for g, a in zip(grads, differentiable)))
        checks = [check_forward(host_outputs, drawn, tolerance),
                  check_properties(outputs, grads or [], differentiable, drawn, dtype, device,
                                   case.output_dtypes)]
        if case.forward_only:
            checks += [CheckResult(name, NOT_RUN, 'the function has no gradient')
                       for name in ('backward', 'double_backward')]
            checks.append(check_unmodified(args))
            return checks
        checks.append(check_first_order(args, tolerance, drawn.seed, device))
        if case.double_backprop:
            checks.append(check_second_order(args, tolerance, drawn.seed, device))
        else:
            checks.append(CheckResult('double_backward', NOT_RUN,
                                      'the function does not claim second-order gradients'))
        checks.append(check_unmodified(args))
        return checks

    def _cross_device(self, variant: Variant, dtype: str, device: Device,
                      cell: CellResult) -> CheckResult:
        try:
            reference_device = get_device(self.reference_device)
        except Exception as error:  # an unusable reference only skips the check
            return CheckResult('cross_device', NOT_RUN, f'reference device '
                               f'{self.reference_device} is unusable: {error}')
        if reference_device == device:
            return CheckResult('cross_device', NOT_RUN, 'this is the reference device')
        key = (variant.id, dtype)
        if key not in self._references:
            self._references[key] = self._checked_cell(variant, dtype, reference_device)
        reference = self._references[key]
        if reference.values is None or cell.values is None:
            return CheckResult('cross_device', NOT_RUN, f'no values to compare (this device: '
                               f'{cell.status}, {reference_device}: {reference.status})')
        tolerance = variant.case.tolerance(dtype)
        return check_cross_device(cell.values, reference.values, str(reference_device),
                                  tolerance)
