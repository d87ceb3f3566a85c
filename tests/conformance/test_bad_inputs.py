"""The bad-input section: every registered bad input raises a clear error on every device."""

from __future__ import annotations

import numpy
import pytest

import polychain.links as L
from polychain_conformance.bad_inputs import (
    BAD_INPUTS,
    BadInput,
    BadInputSuite,
    TargetChanged,
    bad_input,
    unchanged,
)
from polychain_conformance.cli import main
from polychain_conformance.runner import FAIL

SUITE = BadInputSuite()


@pytest.mark.parametrize(('case', 'dtype'), [
    pytest.param(case, dtype, id=f'{case.name}-{dtype}')
    for case in BAD_INPUTS for dtype in case.dtypes])
def test_case(case, dtype, device, conformance_outcome):
    conformance_outcome(SUITE.run_cell(case, dtype, device))


def test_every_loss_and_gather_function_is_covered():
    labels = {case.label for case in BAD_INPUTS}
    assert labels >= {'F.softmax_cross_entropy', 'F.sigmoid_cross_entropy', 'F.embed_id',
                      'L.EmbedID', 'F.select_item', 'F.get_item', 'F.negative_sampling',
                      'F.black_out', 'F.crf1d', 'F.hinge'}


def _case(call, raises=ValueError):
    return BadInput('probe[bad]', 'F.probe', call, (raises,), 'probe')


def test_a_bad_input_that_passes_silently_fails_its_cell():
    cell = SUITE.run_cell(_case(lambda device, dtype: 42), 'float32', '@numpy')
    assert cell.status == FAIL and 'passed silently' in cell.describe()


def test_a_bad_input_that_raises_another_error_fails_its_cell():
    def call(device, dtype):
        raise KeyError('w')
    cell = SUITE.run_cell(_case(call), 'float32', '@numpy')
    assert cell.status == FAIL and 'KeyError' in cell.describe()


def test_unchanged_fails_a_call_that_raised_after_changing_its_target():
    link = L.Linear(2, 3)

    def call(device, dtype):
        with unchanged(link):
            link.W.array[0, 0] += 1
            raise ValueError('half done')
    cell = SUITE.run_cell(_case(call), 'float32', '@numpy')
    assert cell.status == FAIL and 'W' in cell.describe()
    with pytest.raises(ValueError), unchanged(link):
        raise ValueError('nothing changed')
    with pytest.raises(TargetChanged):
        with unchanged(link):
            link.b.array = numpy.ones(3, 'f')
            raise ValueError('b replaced')


def test_case_names_are_unique_and_registering_twice_is_an_error():
    names = [case.name for case in BAD_INPUTS]
    assert len(names) == len(set(names))
    with pytest.raises(ValueError, match='registered already'):
        bad_input(names[0], 'F.x', ValueError, 'probe')(lambda device, dtype: None)


def test_the_report_counts_the_cells(capsys):
    name = BAD_INPUTS[0].name
    assert main(['--device', '@numpy', '--dtype', 'float32', '--case', name]) == 0
    out = capsys.readouterr().out
    assert name in out and '@numpy: 1 pass' in out
