"""Data sets over ranks (``chainermn.datasets``)."""

from polychain.chainermn.datasets.empty_dataset import create_empty_dataset
from polychain.chainermn.datasets.scatter import scatter_dataset, scatter_index

__all__ = ['create_empty_dataset', 'scatter_dataset', 'scatter_index']
