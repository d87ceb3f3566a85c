"""The catalogue of link cases: every class of ``polychain.links``, declared as data.

Each case builds a link from a seed (``numpy.random.seed`` first, so that the
parameters are bit-identical on every device), sends it to the device, calls
it on fixed inputs and backpropagates fixed output gradients. Add a case when
a link is added to ``polychain.links``: a test fails until one exists.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy

import polychain.links as L
from polychain import initializers
from polychain.link import Link
from polychain_conformance.spec import DEFAULT_TOLERANCES, DTYPES, ArrayConstant, Input, Tolerance


@dataclass(frozen=True)
class LinkCase:
    """One link, built from a seed, called on fixed inputs and backpropagated.

    Args:
        link: The class name in ``polychain.links``.
        build: Builds the link for a dtype (a :class:`numpy.dtype`); it runs
            right after ``numpy.random.seed``.
        inputs: The arguments of the call: :class:`~polychain_conformance.spec.Input`
            (floating, in the case's dtype) or
            :class:`~polychain_conformance.spec.ArrayConstant` (labels, indices).
        name: Unique name of the case (defaults to ``link``).
        kwargs: Keyword arguments of the call.
        dtypes: The dtypes it is run in.
        tolerances: Per-dtype overrides of
            :data:`~polychain_conformance.spec.DEFAULT_TOLERANCES`.
        lazy: The link creates (some of) its parameters on its first call.
    """

    link: str
    build: Callable[[numpy.dtype], Link]
    inputs: tuple[Input | ArrayConstant, ...]
    name: str = ''
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    dtypes: tuple[str, ...] = ('float32', 'float64')
    tolerances: Mapping[str, Tolerance] = field(default_factory=dict)
    lazy: bool = False

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, 'name', self.link)
        unknown = set(self.dtypes) - set(DTYPES)
        if unknown:
            raise ValueError(f'LinkCase {self.name!r}: expected dtypes among {DTYPES}, '
                             f'received {sorted(unknown)}')

    def tolerance(self, dtype: str) -> Tolerance:
        """The tolerances of ``dtype`` for this case."""
        return self.tolerances.get(dtype, DEFAULT_TOLERANCES[dtype])

    @property
    def label(self) -> str:
        """How reports name the link under test (``L.Linear``)."""
        return f'L.{self.link}'


def _linear(in_size: int | None, out_size: int, **kwargs: Any) -> Callable[[numpy.dtype], Link]:
    """``L.Linear`` with a random weight and bias of the cell's dtype."""
    def build(dtype: numpy.dtype) -> Link:
        return L.Linear(in_size, out_size, initialW=initializers.LeCunNormal(dtype=dtype),
                        initial_bias=initializers.Uniform(0.5, dtype=dtype), **kwargs)
    return build


def _classifier(in_size: int | None) -> Callable[[numpy.dtype], Link]:
    def build(dtype: numpy.dtype) -> Link:
        return L.Classifier(_linear(in_size, 3)(dtype))
    return build


_LABELS = ArrayConstant([0, 2, 1, 1, 0, 2], 'int32')

_OWN_CASES: tuple[LinkCase, ...] = (
    LinkCase('Linear', _linear(3, 4), (Input((5, 3)),)),
    LinkCase('Linear', _linear(None, 4), (Input((5, 3)),), name='Linear_lazy', lazy=True),
    LinkCase('Linear', lambda dtype: L.Linear(4, initialW=initializers.LeCunNormal(dtype=dtype),
                                              initial_bias=initializers.Zero(dtype)),
             (Input((5, 3)),), name='Linear_out_size_only', lazy=True),
    LinkCase('Linear', _linear(3, 4, nobias=True), (Input((5, 3)),), name='Linear_nobias'),
    LinkCase('Linear', _linear(None, 4), (Input((2, 3, 2, 2)),), name='Linear_n_batch_axes',
             kwargs={'n_batch_axes': 2}, lazy=True),
    # The default initializers make float32 parameters whatever the cell's dtype.
    LinkCase('Linear', lambda dtype: L.Linear(3, 4), (Input((5, 3)),),
             name='Linear_default_initializers', dtypes=('float32',)),
    LinkCase('Classifier', _classifier(4), (Input((6, 4)), _LABELS)),
    LinkCase('Classifier', _classifier(None), (Input((6, 4)), _LABELS), name='Classifier_lazy',
             lazy=True),
)


def _collect() -> tuple[LinkCase, ...]:
    """The cases above plus those of every module of :mod:`polychain_conformance.link_catalogue`.

    Each module there defines ``LINK_CASES`` for one category of links; a new
    module is picked up without being listed anywhere.
    """
    from polychain_conformance import link_catalogue
    collected = list(_OWN_CASES)
    for module in sorted(pkgutil.iter_modules(link_catalogue.__path__), key=lambda m: m.name):
        collected.extend(importlib.import_module(
            f'{link_catalogue.__name__}.{module.name}').LINK_CASES)
    return tuple(collected)


LINK_CASES: tuple[LinkCase, ...] = _collect()
