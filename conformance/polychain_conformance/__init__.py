"""polychain's conformance suite: one catalogue of cases, checked on every backend.

Run it with ``python -m polychain_conformance --backend NAME``; see :mod:`.cli`.
"""

from polychain_conformance.case_suite import CaseSuite
from polychain_conformance.catalogue import CASES, variants
from polychain_conformance.checks import CheckResult
from polychain_conformance.link_cases import LINK_CASES, LinkCase
from polychain_conformance.link_runner import LinkSuite
from polychain_conformance.model_cases import MODEL_CASES, ModelCase
from polychain_conformance.model_runner import ModelSuite
from polychain_conformance.optimizer_cases import OPTIMIZER_CASES, Hook, OptimizerCase
from polychain_conformance.optimizer_runner import OptimizerSuite
from polychain_conformance.runner import STATUSES, CellResult, ConformanceSuite
from polychain_conformance.serialization_cases import SERIALIZATION_CASES, SerializationCase
from polychain_conformance.serialization_runner import SerializationSuite
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
    'CaseSuite', 'LINK_CASES', 'LinkCase', 'LinkSuite', 'MODEL_CASES', 'ModelCase', 'ModelSuite',
    'SERIALIZATION_CASES', 'SerializationCase', 'SerializationSuite',
]
