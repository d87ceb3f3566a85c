"""Small models train to the same losses and parameters on every device."""

from __future__ import annotations

import json

import pytest

import polychain.backend
import polychain.functions as F
from polychain.optimizers.adam import AdamRule
from polychain_conformance import MODEL_CASES, ModelSuite
from polychain_conformance.cli import main

SUITE = ModelSuite(reference_device='@numpy')


def test_the_tutorial_mlp_is_trained_with_sgd_and_adam_in_float32_and_float64():
    trained = {(case.optimizer, dtype) for case in MODEL_CASES
               if case.model == 'tutorial MLP' for dtype in case.dtypes}
    assert trained >= {(optimizer, dtype) for optimizer in ('SGD', 'Adam')
                       for dtype in ('float32', 'float64')}


def test_a_convnet_is_trained_once_convolution_exists():
    if 'convolution_2d' not in F.__all__:
        pytest.skip('F.convolution_2d does not exist yet; the convnet case comes with it')
    assert any(case.model == 'convnet' for case in MODEL_CASES), (
        'F.convolution_2d exists: add a small convnet case (convolution and pooling) to '
        'conformance/polychain_conformance/model_cases.py')


@pytest.mark.parametrize(('case', 'dtype'), [
    pytest.param(case, dtype, id=f'{case.name}-{dtype}')
    for case in MODEL_CASES for dtype in case.dtypes])
def test_case(case, dtype, device, conformance_outcome):
    cell = SUITE.run_cell(case, dtype, device)
    conformance_outcome(cell)


def test_an_optimizer_that_drifts_on_one_backend_fails_its_model_case_there(monkeypatch):
    original = AdamRule.update_core

    def drifting(self, param):
        original(self, param)
        if type(param.array).__module__.startswith('jax'):
            param.array = param.array * (1 + 1e-6)

    monkeypatch.setattr(AdamRule, 'update_core', drifting)
    try:
        cells = ModelSuite().run(['@numpy', '@jax:cpu:0'], ['float64'])
    except (ValueError, polychain.backend.BackendUnavailable) as error:
        pytest.skip(f'needs the jax backend: {error}')
    failing = {(c.case, c.device): {check.name for check in c.failed_checks} for c in cells
               if c.status == 'fail'}
    adam_cases = {case.name for case in MODEL_CASES if case.name.endswith('_Adam')}
    assert adam_cases >= {'mlp_Adam'}
    assert failing == {(name, '@jax:cpu:0'): {'loss_curve', 'final_parameters'}
                       for name in adam_cases}


def test_a_model_that_does_not_learn_fails_training():
    from dataclasses import replace
    frozen = replace(MODEL_CASES[0], name='frozen', kwargs={'lr': 0.0})
    cell = ModelSuite([frozen]).run(['@numpy'], ['float64'])[0]
    assert [check.name for check in cell.failed_checks] == ['training']
    assert 'did not fall' in cell.failed_checks[0].message


def test_command_line_reports_link_model_and_serialization_cases(tmp_path):
    status = main(['--device', '@numpy', '--case', 'Linear,mlp_SGD,npz_mlp_Adam,tanh',
                   '--dtype', 'float64', '--json', str(tmp_path / 'r.json'),
                   '--report', str(tmp_path / 'r.md')])
    assert status == 0
    data = json.loads((tmp_path / 'r.json').read_text())
    assert {(c['case'], c['function'], c['status']) for c in data['cells']} >= {
        ('Linear', 'L.Linear', 'pass'),
        ('mlp_SGD', 'tutorial MLP + optimizers.SGD', 'pass'),
        ('npz_mlp_Adam', 'serializers.save_npz/load_npz', 'pass'),
        ('tanh', 'F.tanh', 'pass')}
    markdown = (tmp_path / 'r.md').read_text()
    assert '| mlp_SGD | tutorial MLP + optimizers.SGD | pass |' in markdown
