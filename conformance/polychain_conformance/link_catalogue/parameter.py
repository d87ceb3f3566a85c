"""Link case of Parameter, the link returning the parameter it holds."""

from __future__ import annotations

import numpy

import polychain.links as L
from polychain_conformance.link_cases import LinkCase


def _parameter(dtype: numpy.dtype) -> L.Parameter:
    return L.Parameter(numpy.linspace(-1, 1, 6, dtype=dtype).reshape(2, 3))


LINK_CASES: tuple[LinkCase, ...] = (
    LinkCase('Parameter', _parameter, ()),
)
