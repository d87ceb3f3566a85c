"""The catalogue covers every public function and operator, and its entries are sound."""

from __future__ import annotations

import numpy

import polychain.functions as F
from polychain_conformance import CASES, EXPECTED_FAILURES, OPERATORS
from polychain_conformance.arguments import draw, resolve_function


def test_every_public_function_has_a_case():
    covered = {case.function for case in CASES}
    missing = sorted(set(F.__all__) - covered)
    assert not missing, (f'polychain.functions exports {missing} without a conformance case: '
                         f'add one to conformance/polychain_conformance/catalogue.py')


def test_every_variable_operator_has_a_case():
    covered = {case.function for case in CASES}
    assert not sorted(set(OPERATORS) - covered)


def test_case_names_are_unique():
    names = [case.name for case in CASES]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_every_case_names_a_callable():
    for case in CASES:
        assert callable(resolve_function(case.function)), case.name


def test_references_give_finite_float64_values():
    for case in CASES:
        for y in draw(case, 'float64', 0).expected:
            assert y.dtype == numpy.float64 and numpy.isfinite(y).all(), case.name


def test_draws_do_not_depend_on_anything_but_case_dtype_and_seed():
    case = CASES[0]
    first, again = draw(case, 'float32', 3), draw(case, 'float32', 3)
    other = draw(case, 'float32', 4)
    assert numpy.array_equal(first.values[0], again.values[0])
    assert not numpy.array_equal(first.values[0], other.values[0])


def test_expected_failures_name_existing_cases():
    names = {case.name for case in CASES}
    assert sorted({f.case for f in EXPECTED_FAILURES} - names) == []
