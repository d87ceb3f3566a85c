"""One cell of a conformance run: a case (variant) in one dtype on one device, and its status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from polychain.backend import Device
from polychain_conformance.checks import FAIL, PASS, CheckResult, HostValues
from polychain_conformance.xfails import ExpectedFailure, expected_failure

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
