"""The suite notices broken functions and names them; known failures are kept honest."""

from __future__ import annotations

import json

import numpy
import pytest

import polychain
from polychain.functions.activation.tanh import Tanh
from polychain.functions.math.exponential import Exp
from polychain_conformance import ConformanceSuite, ExpectedFailure
from polychain_conformance.cli import main
from polychain_conformance.report import Report, format_markdown, make_header


def _scale_tanh_backward(monkeypatch, factor):
    original = Tanh.backward

    def scaled(self, indexes, grad_outputs):
        return tuple(g * factor for g in original(self, indexes, grad_outputs))

    monkeypatch.setattr(Tanh, 'backward', scaled)


def test_wrong_backward_fails_exactly_the_cases_of_that_function(monkeypatch):
    # Every @numpy cell passes unbroken (tests/conformance/test_conformance.py), so the cells
    # failing now are the ones the planted bug breaks.
    _scale_tanh_backward(monkeypatch, 1.5)
    new = [cell for cell in ConformanceSuite().run(['@numpy']) if cell.status == 'fail']
    # Functions built on tanh (such as gelu's approximation) may fail too; tanh's own cases
    # must fail, in their gradient checks only, by the planted factor.
    tanh_cells = [cell for cell in new if cell.function == 'F.tanh']
    assert {cell.case for cell in tanh_cells} == {'tanh', 'tanh[strided]'}
    for cell in tanh_cells:
        assert {check.name for check in cell.failed_checks} == {'backward', 'double_backward'}
        assert cell.failed_checks[0].max_rel_error == pytest.approx(0.5, rel=0.05)
    assert all(check.name in ('backward', 'double_backward')
               for cell in new for check in cell.failed_checks)


def test_command_line_fails_and_reports_the_function(monkeypatch, tmp_path, capsys):
    _scale_tanh_backward(monkeypatch, 1.5)
    status = main(['--device', '@numpy', '--case', 'tanh,exp', '--dtype', 'float64',
                   '--report', str(tmp_path / 'report.md'), '--json', str(tmp_path / 'r.json')])
    assert status == 1
    data = json.loads((tmp_path / 'r.json').read_text())
    assert {(c['case'], c['status']) for c in data['cells']} == {
        ('tanh', 'fail'), ('tanh[strided]', 'fail'), ('exp', 'pass'), ('exp[strided]', 'pass')}
    assert data['summary']['@numpy']['fail'] == 2
    assert data['header']['versions']['polychain'] == polychain.__version__
    markdown = (tmp_path / 'report.md').read_text()
    assert '## Failures' in markdown and 'tanh (F.tanh) on @numpy in float64' in markdown
    assert 'tanh (F.tanh) on @numpy in float64' in capsys.readouterr().out


def test_command_line_passes_on_a_correct_function(tmp_path):
    assert main(['--device', '@numpy', '--case', 'tanh', '--json', str(tmp_path / 'r.json')]) == 0


def test_writing_into_an_input_is_reported(monkeypatch):
    original = Exp.forward

    def overwriting(self, inputs):
        outputs = original(self, inputs)
        inputs[0][...] = 0
        return outputs

    monkeypatch.setattr(Exp, 'forward', overwriting)
    cell = ConformanceSuite().run(['@numpy'], ['float64'], ['exp'])[0]
    assert cell.status == 'fail'
    assert 'inputs_unmodified' in {check.name for check in cell.failed_checks}


def test_listed_failure_is_xfail_and_keeps_the_run_green(monkeypatch):
    _scale_tanh_backward(monkeypatch, 1.5)
    suite = ConformanceSuite(expected_failures=[ExpectedFailure('tanh', 'numpy', 'known')])
    cells = suite.run(['@numpy'], ['float64'], ['tanh'])
    assert {(c.status, c.reason) for c in cells} == {('xfail', 'known')}
    assert Report({}, cells).ok


def test_listed_failure_that_passes_is_reported_as_xpass():
    suite = ConformanceSuite(expected_failures=[ExpectedFailure('tanh', 'numpy', 'stale')])
    cells = suite.run(['@numpy'], ['float64'], ['tanh'])
    assert {c.status for c in cells} == {'xpass'}
    report = Report(make_header([polychain.get_device('@numpy')], None, ['float64'], 0, None),
                    cells)
    assert not report.ok
    assert '## Unexpected passes' in format_markdown(report)


def test_unknown_case_is_an_error():
    with pytest.raises(ValueError, match='no_such_case'):
        ConformanceSuite().run(['@numpy'], ['float64'], ['no_such_case'])


def test_device_that_disagrees_with_the_reference_fails_cross_device(monkeypatch):
    try:
        strict = polychain.get_device('@strict')
    except (ValueError, polychain.backend.BackendUnavailable) as error:
        pytest.skip(f'needs a second backend: {error}')
    original = Tanh.forward

    def shifted_on_numpy(self, inputs):
        y, = original(self, inputs)
        return (y + 1e-3 if isinstance(y, numpy.ndarray) else y),

    monkeypatch.setattr(Tanh, 'forward', shifted_on_numpy)
    suite = ConformanceSuite(reference_device=str(strict))
    cell = suite.run(['@numpy'], ['float64'], ['tanh'])[0]
    assert 'cross_device' in {check.name for check in cell.failed_checks}
