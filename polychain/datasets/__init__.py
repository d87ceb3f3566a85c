"""Datasets: wrappers that zip, split, transform and concatenate datasets; text, pickle and
image files; MNIST, Fashion-MNIST, Kuzushiji-MNIST, CIFAR, SVHN and the Penn Treebank."""

from polychain.datasets import image_dataset, pickle_dataset
from polychain.datasets.cifar import get_cifar10, get_cifar100
from polychain.datasets.concatenated_dataset import ConcatenatedDataset
from polychain.datasets.dict_dataset import DictDataset
from polychain.datasets.image_dataset import (
    ImageDataset,
    LabeledImageDataset,
    LabeledZippedImageDataset,
    MultiZippedImageDataset,
    ZippedImageDataset,
)
from polychain.datasets.kuzushiji_mnist import get_kuzushiji_mnist, get_kuzushiji_mnist_labels
from polychain.datasets.mnist import get_fashion_mnist, get_fashion_mnist_labels, get_mnist
from polychain.datasets.pickle_dataset import (
    PickleDataset,
    PickleDatasetWriter,
    open_pickle_dataset,
    open_pickle_dataset_writer,
)
from polychain.datasets.ptb import get_ptb_words, get_ptb_words_vocabulary
from polychain.datasets.sub_dataset import (
    SubDataset,
    get_cross_validation_datasets,
    get_cross_validation_datasets_random,
    split_dataset,
    split_dataset_n,
    split_dataset_n_random,
    split_dataset_random,
)
from polychain.datasets.svhn import get_svhn
from polychain.datasets.text_dataset import TextDataset
from polychain.datasets.transform_dataset import TransformDataset
from polychain.datasets.tuple_dataset import TupleDataset

__all__ = [
    'ConcatenatedDataset', 'DictDataset', 'ImageDataset', 'LabeledImageDataset',
    'LabeledZippedImageDataset', 'MultiZippedImageDataset', 'PickleDataset',
    'PickleDatasetWriter', 'SubDataset', 'TextDataset', 'TransformDataset', 'TupleDataset',
    'ZippedImageDataset', 'get_cifar10', 'get_cifar100', 'get_cross_validation_datasets',
    'get_cross_validation_datasets_random', 'get_fashion_mnist', 'get_fashion_mnist_labels',
    'get_kuzushiji_mnist', 'get_kuzushiji_mnist_labels', 'get_mnist', 'get_ptb_words',
    'get_ptb_words_vocabulary', 'get_svhn',
    'image_dataset', 'open_pickle_dataset', 'open_pickle_dataset_writer', 'pickle_dataset',
    'split_dataset', 'split_dataset_n', 'split_dataset_n_random', 'split_dataset_random',
]
