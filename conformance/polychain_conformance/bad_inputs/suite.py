"""Running the bad-input registry: one cell per case, dtype and device."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from polychain.backend import Device
from polychain_conformance.bad_inputs.registry import BAD_INPUTS, BadInput, TargetChanged
from polychain_conformance.case_suite import CaseSuite
from polychain_conformance.checks import FAIL, PASS, CheckResult, describe_exception


class BadInputSuite(CaseSuite):
    """The bad-input section: a cell passes when its case raises a declared error.

    Args:
        cases: The cases (default: every registered one).
        kwargs: As :class:`~polychain_conformance.case_suite.CaseSuite`.
    """

    def __init__(self, cases: Sequence[BadInput] | None = None, **kwargs: Any) -> None:
        super().__init__(BAD_INPUTS if cases is None else cases, **kwargs)

    def checks(self, case: BadInput, dtype: str, device: Device) -> list[CheckResult]:
        """One check, ``raises``: the case raised one of its declared exception types."""
        expected = ' or '.join(e.__name__ for e in case.raises)
        try:
            result = case.call(device, dtype)
        except TargetChanged as error:
            return [CheckResult('raises', FAIL, f'{error} (cause: '
                                f'{describe_exception(error.__cause__)})')]
        except case.raises:
            return [CheckResult('raises', PASS)]
        except Exception as error:
            return [CheckResult('raises', FAIL, f'expected {expected}, received '
                                f'{describe_exception(error)}')]
        return [CheckResult('raises', FAIL, f'expected {expected}, but the bad input passed '
                            f'silently and returned {_short(result)}')]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + '...'
