"""A model and its optimizer saved on any device load on every other device unchanged."""

from __future__ import annotations

from dataclasses import replace

import pytest

from polychain import list_backends
from polychain.optimizer import UpdateRule
from polychain.serializers import Deserializer
from polychain_conformance import SERIALIZATION_CASES, SerializationSuite


def _usable_devices():
    return [spec for info in list_backends() if info.available for spec in info.devices]


SUITE = SerializationSuite(reference_device='@numpy', targets=_usable_devices())


def test_npz_and_hdf5_are_both_covered():
    assert {case.format.name for case in SERIALIZATION_CASES} >= {'npz', 'hdf5'}


@pytest.mark.parametrize(('case', 'dtype'), [
    pytest.param(case, dtype, id=f'{case.name}-{dtype}')
    for case in SERIALIZATION_CASES for dtype in case.dtypes])
def test_case(case, dtype, device, conformance_outcome):
    cell = SUITE.run_cell(case, dtype, device)
    conformance_outcome(cell)
    loaded_on = {check.name for check in cell.checks}
    assert {f'load on {spec}' for spec in _usable_devices()} <= loaded_on


def test_a_load_that_forgets_the_optimizer_step_fails(monkeypatch):
    original = UpdateRule.serialize

    def forgetful(self, serializer):
        t = self.t
        original(self, serializer)
        if isinstance(serializer, Deserializer):
            self.t = t

    monkeypatch.setattr(UpdateRule, 'serialize', forgetful)
    cell = SerializationSuite().run(['@numpy'], ['float64'], ['npz_mlp_Adam'])[0]
    assert cell.status == 'fail'
    assert [check.name for check in cell.failed_checks] == ['load on @numpy']
    assert 'not bit-identical' in cell.failed_checks[0].message
    assert '/t' in cell.failed_checks[0].message


def test_a_format_whose_module_is_missing_is_skipped():
    case = SERIALIZATION_CASES[0]
    missing = replace(case, name='missing', format=replace(case.format,
                                                           requires='no_such_module_here'))
    cell = SerializationSuite([missing]).run(['@numpy'], ['float64'])[0]
    assert cell.status == 'skip'
    assert 'no_such_module_here' in cell.reason
