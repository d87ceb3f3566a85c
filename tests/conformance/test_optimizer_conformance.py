"""Every optimizer and hook has a conformance case, and every case agrees across devices."""

from __future__ import annotations

import inspect
import json

import pytest

import polychain.backend
import polychain.optimizer_hooks
import polychain.optimizers
from polychain.optimizer import GradientMethod
from polychain_conformance import OPTIMIZER_CASES, OptimizerSuite
from polychain_conformance.cli import main

SUITE = OptimizerSuite(reference_device='@numpy')


def _public_classes(module, keep):
    return {name for name in module.__all__
            if inspect.isclass(getattr(module, name)) and keep(getattr(module, name))}


def test_every_optimizer_has_a_case():
    optimizers = _public_classes(polychain.optimizers, lambda c: issubclass(c, GradientMethod))
    missing = sorted(optimizers - {case.optimizer for case in OPTIMIZER_CASES})
    assert not missing, (f'polychain.optimizers exports {missing} without a conformance case: '
                         f'add one to conformance/polychain_conformance/optimizer_cases.py')


def test_every_optimizer_hook_has_a_case():
    hooks = _public_classes(polychain.optimizer_hooks, lambda c: True)
    covered = {hook.name for case in OPTIMIZER_CASES for hook in case.hooks}
    missing = sorted(hooks - covered)
    assert not missing, (f'polychain.optimizer_hooks exports {missing} without a conformance '
                         f'case: add one to conformance/polychain_conformance/optimizer_cases.py')


def test_case_names_are_unique():
    names = [case.name for case in OPTIMIZER_CASES]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


@pytest.mark.parametrize(('case', 'dtype'), [
    pytest.param(case, dtype, id=f'{case.name}-{dtype}')
    for case in OPTIMIZER_CASES for dtype in case.dtypes])
def test_case(case, dtype, device, conformance_outcome):
    cell = SUITE.run_cell(case, dtype, device)
    conformance_outcome(cell)


def test_a_wrong_update_fails_exactly_the_cases_of_that_optimizer(monkeypatch):
    from polychain.optimizers.momentum_sgd import NesterovAGRule
    original = NesterovAGRule.update_core

    def shifted(self, param):
        original(self, param)
        if type(param.array).__module__.startswith('jax'):
            param.array = param.array + 1e-3

    monkeypatch.setattr(NesterovAGRule, 'update_core', shifted)
    try:
        cells = OptimizerSuite().run(['@numpy', '@jax:cpu:0'], ['float64'])
    except (ValueError, polychain.backend.BackendUnavailable) as error:
        pytest.skip(f'needs the jax backend: {error}')
    failing = {(c.case, c.device) for c in cells if c.status == 'fail'}
    assert failing == {('NesterovAG', '@jax:cpu:0')}
    cell = next(c for c in cells if c.status == 'fail')
    assert cell.function == 'optimizers.NesterovAG'
    assert [check.name for check in cell.failed_checks] == ['cross_device']


def test_command_line_reports_optimizer_cases(tmp_path):
    status = main(['--device', '@numpy', '--case', 'Adam,WeightDecay,tanh', '--dtype', 'float64',
                   '--json', str(tmp_path / 'r.json'), '--report', str(tmp_path / 'r.md')])
    assert status == 0
    data = json.loads((tmp_path / 'r.json').read_text())
    assert {(c['case'], c['function'], c['status']) for c in data['cells']} >= {
        ('Adam', 'optimizers.Adam', 'pass'),
        ('WeightDecay', 'optimizers.MomentumSGD + WeightDecay', 'pass'),
        ('tanh', 'F.tanh', 'pass')}
    assert '| Adam | optimizers.Adam | pass |' in (tmp_path / 'r.md').read_text()


def test_unknown_optimizer_case_is_an_error():
    with pytest.raises(ValueError, match='no_such_case'):
        SUITE.run(['@numpy'], ['float64'], ['no_such_case'])
