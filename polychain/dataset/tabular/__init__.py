"""Tabular datasets: columns read in blocks, sliced, joined, concatenated and transformed.

:class:`polychain.dataset.TabularDataset` is the base class; this module adds
:func:`from_data` and :class:`DelegateDataset`.
"""

from polychain.dataset.tabular.delegate_dataset import DelegateDataset
from polychain.dataset.tabular.from_data import from_data

__all__ = ['DelegateDataset', 'from_data']
