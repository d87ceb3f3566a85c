"""The catalogue: every public function, link and Variable operator, declared once as data.

Each entry names the function, its arguments (shapes and value ranges that
keep away from points where it is not differentiable), its keyword
arguments and a plain-NumPy float64 reference. The cases live in the modules
of :mod:`polychain_conformance.cases`, one per category, each defining
``CASES``; a new module is picked up without being listed anywhere. Add a
case when a function is added to ``polychain.functions``: a test fails until
one exists.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from polychain_conformance import cases as _cases_package
from polychain_conformance.spec import Case, Variant


def _collect() -> tuple[Case, ...]:
    collected: list[Case] = []
    for module in sorted(pkgutil.iter_modules(_cases_package.__path__), key=lambda m: m.name):
        collected.extend(importlib.import_module(f'{_cases_package.__name__}.{module.name}').CASES)
    names = [case.name for case in collected]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f'conformance catalogue: duplicate case names {duplicates}')
    return tuple(collected)


CASES: tuple[Case, ...] = _collect()


def variants(cases: tuple[Case, ...] = CASES) -> Iterator[Variant]:
    """Each case in the contiguous layout, and strided too where the case asks for it."""
    for case in cases:
        yield Variant(case)
        if case.strided:
            yield Variant(case, 'strided')
