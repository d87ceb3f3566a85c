"""Cells of deprecated functions call them on purpose: their warnings stay out of the run."""

from __future__ import annotations

import warnings

import pytest

from polychain_conformance import ConformanceSuite
from polychain_conformance.runner import PASS

SUITE = ConformanceSuite(reference_device='@numpy')
DEPRECATED = [variant for variant in SUITE.variants() if variant.case.warns is not None]


def test_batch_matmul_cases_declare_their_deprecation():
    assert {variant.case.name for variant in DEPRECATED} >= {'batch_matmul',
                                                             'batch_matmul_vectors'}


@pytest.mark.parametrize('variant', DEPRECATED, ids=lambda variant: variant.id)
def test_a_deprecated_function_cell_passes_without_warnings(variant, device):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        cell = SUITE.run_cell(variant, 'float32', device)
        warnings.warn('emitted after the cell', DeprecationWarning, stacklevel=1)
    assert cell.status == PASS, cell.describe()
    assert [str(w.message) for w in caught] == ['emitted after the cell']
