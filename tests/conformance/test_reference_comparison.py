"""Every suite is a CaseSuite: one cell loop, one known-failure rule, one reference comparison."""

from __future__ import annotations

import numpy
import pytest

import polychain
from polychain.functions.activation.tanh import Tanh
from polychain_conformance import CaseSuite, ConformanceSuite, LinkSuite, ModelSuite
from polychain_conformance.optimizer_runner import OptimizerSuite
from polychain_conformance.serialization_runner import SerializationSuite

SUITES = [ConformanceSuite, LinkSuite, ModelSuite, OptimizerSuite, SerializationSuite]


@pytest.mark.parametrize('suite', SUITES, ids=lambda s: s.__name__)
def test_a_suite_states_its_checks_and_inherits_the_rest(suite):
    assert issubclass(suite, CaseSuite)
    own = set(vars(suite))
    assert not own & {'run_cell', 'checked_cell', 'reference_outcome'}


def _second_device():
    try:
        return polychain.get_device('@strict')
    except (ValueError, polychain.backend.BackendUnavailable) as error:
        pytest.skip(f'needs a second backend: {error}')


def test_a_crash_on_the_reference_device_leaves_the_comparison_not_run(monkeypatch):
    strict = _second_device()
    original = Tanh.forward

    def crashes_off_numpy(self, inputs):
        if not isinstance(inputs[0], numpy.ndarray):
            raise RuntimeError('broken on this backend')
        return original(self, inputs)

    monkeypatch.setattr(Tanh, 'forward', crashes_off_numpy)
    suite = ConformanceSuite(reference_device=str(strict))
    cell, reference = suite.run(['@numpy', str(strict)], ['float64'], ['tanh'])[:2]
    assert reference.status == 'fail'
    assert cell.status == 'pass'
    comparison = {check.name: check for check in cell.checks}['cross_device']
    assert comparison.status == 'not run'
    assert f'{strict}: fail' in comparison.message


def test_the_reference_cell_is_computed_once_per_case_and_dtype(monkeypatch):
    strict = _second_device()
    calls = []
    original = Tanh.forward

    def counted(self, inputs):
        calls.append(type(inputs[0]))
        return original(self, inputs)

    monkeypatch.setattr(Tanh, 'forward', counted)
    suite = ConformanceSuite(reference_device='@numpy')
    suite.run([str(strict)], ['float64'], ['tanh'])
    first = calls.count(numpy.ndarray)
    suite.run([str(strict)], ['float64'], ['tanh'])
    assert first > 0 and calls.count(numpy.ndarray) == first
