"""Datasets: wrappers that zip, split, transform and concatenate datasets, and MNIST."""

from polychain.datasets.concatenated_dataset import ConcatenatedDataset
from polychain.datasets.dict_dataset import DictDataset
from polychain.datasets.mnist import get_fashion_mnist, get_fashion_mnist_labels, get_mnist
from polychain.datasets.sub_dataset import (
    SubDataset,
    get_cross_validation_datasets,
    get_cross_validation_datasets_random,
    split_dataset,
    split_dataset_n,
    split_dataset_n_random,
    split_dataset_random,
)
from polychain.datasets.transform_dataset import TransformDataset
from polychain.datasets.tuple_dataset import TupleDataset

__all__ = [
    'ConcatenatedDataset', 'DictDataset', 'SubDataset', 'TransformDataset', 'TupleDataset',
    'get_cross_validation_datasets', 'get_cross_validation_datasets_random',
    'get_fashion_mnist', 'get_fashion_mnist_labels', 'get_mnist', 'split_dataset',
    'split_dataset_n', 'split_dataset_n_random', 'split_dataset_random',
]
