"""polychain's conformance suite: one catalogue of cases, checked on every backend.

Run it with ``python -m polychain_conformance --backend NAME``; see :mod:`.cli`.
"""

from polychain_conformance.catalogue import CASES, variants
from polychain_conformance.checks import CheckResult
from polychain_conformance.optimizer_cases import OPTIMIZER_CASES, Hook, OptimizerCase
from polychain_conformance.optimizer_runner import OptimizerSuite
from polychain_conformance.runner import STATUSES, CellResult, ConformanceSuite
from polychain_conformance.spec import (
    DEFAULT_TOLERANCES,
    DTYPES,
    OPERATORS,
    Arg,
    ArrayConstant,
    Case,
    Input,
    SameAs,
    Tolerance,
    Variant,
)
from polychain_conformance.xfails import EXPECTED_FAILURES, ExpectedFailure

__all__ = [
    'CASES', 'DEFAULT_TOLERANCES', 'DTYPES', 'EXPECTED_FAILURES', 'OPERATORS', 'STATUSES', 'Arg',
    'ArrayConstant', 'Case', 'CellResult', 'CheckResult', 'ConformanceSuite', 'ExpectedFailure',
    'Input', 'SameAs', 'Tolerance', 'Variant', 'variants',
    'OPTIMIZER_CASES', 'Hook', 'OptimizerCase', 'OptimizerSuite',
]
