"""The one list of known failures: each names the case, the backend, and why it fails.

A listed cell that fails is reported as ``xfail``; one that passes is reported
as ``xpass`` and fails the run, so that the list stays true.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExpectedFailure:
    """A case known to fail on one backend.

    Args:
        case: The case name (all its layouts).
        backend: The backend name (all its devices).
        reason: Why it fails, shown in reports.
        dtype: Only this dtype, or ``None`` for all.
    """

    case: str
    backend: str
    reason: str
    dtype: str | None = None

    def matches(self, case: str, backend: str, dtype: str) -> bool:
        """Whether this entry covers the cell ``(case, backend, dtype)``."""
        return self.case == case and self.backend == backend and \
            self.dtype in (None, dtype)


_STRICT_OPERATORS = ('array_api_strict arrays raise TypeError for an operand that is neither '
                     'an array nor a Python scalar instead of returning NotImplemented, so '
                     'Python never reaches the Variable\'s reflected operator')

EXPECTED_FAILURES: tuple[ExpectedFailure, ...] = (
    ExpectedFailure('get_item_integer_array_and_slice', 'strict',
                    'the Array API standard specifies integer-array indices only together with '
                    'integers; array_api_strict rejects one next to a slice'),
    ExpectedFailure('radd_array', 'strict', _STRICT_OPERATORS),
    ExpectedFailure('rmatmul_array', 'strict', _STRICT_OPERATORS),
)


def expected_failure(failures: tuple[ExpectedFailure, ...], case: str, backend: str,
                     dtype: str) -> ExpectedFailure | None:
    """The entry of ``failures`` covering the cell, or ``None``."""
    for failure in failures:
        if failure.matches(case, backend, dtype):
            return failure
    return None
