"""The conformance catalogue as pytest cases: every case, dtype and available device.

Each cell is also compared with the same cell on ``@numpy`` (the reference device).
"""

from __future__ import annotations

import pytest

from polychain_conformance import ConformanceSuite

SUITE = ConformanceSuite(reference_device='@numpy')
CELLS = [pytest.param(variant, dtype, id=f'{variant.id}-{dtype}')
         for variant in SUITE.variants() for dtype in variant.case.dtypes]


@pytest.mark.parametrize(('variant', 'dtype'), CELLS)
def test_case(variant, dtype, device, conformance_outcome):
    cell = SUITE.run_cell(variant, dtype, device)
    conformance_outcome(cell)
