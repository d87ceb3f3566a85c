"""Tabular datasets: columns read in blocks, sliced, joined, concatenated and transformed.

:class:`polychain.dataset.TabularDataset` is the base class; this module adds
:func:`from_data` and :class:`DelegateDataset`, and imports the modules of the views that
TabularDataset's methods return (each registers its class with ``register_view``).
"""

from polychain.dataset.tabular import (  # noqa: F401  (they register the views)
    _asmode,
    _concat,
    _join,
    _slice,
    _transform,
    _with_converter,
)
from polychain.dataset.tabular.delegate_dataset import DelegateDataset
from polychain.dataset.tabular.from_data import from_data

__all__ = ['DelegateDataset', 'from_data']
