"""Running the catalogue: one cell is one case variant in one dtype on one device."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy

from polychain.backend import Device, get_device, to_host
from polychain_conformance.arguments import Draw, draw, place
from polychain_conformance.case_suite import CaseSuite
from polychain_conformance.catalogue import CASES, variants
from polychain_conformance.cells import (
    SKIP,
    STATUSES,
    XFAIL,
    XPASS,
    CellResult,
    mark_expected,
    supports_dtype,
)
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
from polychain_conformance.spec import Case, Variant
from polychain_conformance.xfails import EXPECTED_FAILURES, ExpectedFailure

__all__ = ['FAIL', 'PASS', 'SKIP', 'STATUSES', 'XFAIL', 'XPASS', 'CellResult', 'ConformanceSuite',
           'mark_expected', 'supports_dtype']

class ConformanceSuite(CaseSuite):
    """Runs catalogue cases on devices and compares them with a reference device.

    A :class:`~polychain_conformance.case_suite.CaseSuite` whose cases are the
    variants (memory layouts) of the function cases.

    Args:
        cases: The catalogue (default: all of :data:`~polychain_conformance.CASES`).
        expected_failures: Known failures (default: :data:`EXPECTED_FAILURES`).
        seed: The base seed; every cell derives its own from it, the case and the dtype.
        reference_device: The device every other device is compared against.
    """

    def __init__(self, cases: Sequence[Case] = CASES,
                 expected_failures: Sequence[ExpectedFailure] = EXPECTED_FAILURES,
                 seed: int = 0, reference_device: str = '@numpy') -> None:
        super().__init__(cases, expected_failures, seed, reference_device)
        self._draws: dict[tuple[str, str], Draw] = {}

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

    def select(self, names: Iterable[str] | None = None) -> list[Variant]:
        """The variants run by :meth:`run`: those of ``names`` (case names or variant ids)."""
        return self.variants(names)

    def cell_checks(self, variant: Variant, dtype: str, device: Device,
                    cell: CellResult) -> list[CheckResult]:
        """The checks of one variant (its values kept on ``cell``), then the cross-device one."""
        checks = self._checks(variant, dtype, device, cell)
        if any(check.status == FAIL for check in checks):
            cell.status = FAIL
        return checks + [self._cross_device(variant, dtype, device, cell)]

    def _draw(self, case: Case, dtype: str) -> Draw:
        key = (case.name, dtype)
        if key not in self._draws:
            self._draws[key] = draw(case, dtype, self.seed)
        return self._draws[key]

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
        reference, why = self.reference_outcome(
            variant, dtype, device, lambda on: self.checked_cell(variant, dtype, on))
        if reference is None:
            return CheckResult('cross_device', NOT_RUN, why)
        reference_device = str(get_device(self.reference_device))
        if reference.values is None or cell.values is None:
            return CheckResult('cross_device', NOT_RUN, f'no values to compare (this device: '
                               f'{cell.status}, {reference_device}: {reference.status})')
        return check_cross_device(cell.values, reference.values, reference_device,
                                  variant.case.tolerance(dtype))
