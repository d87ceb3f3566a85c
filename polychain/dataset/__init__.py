"""Dataset abstraction: the dataset mixin, the iterator interface, converters, the cache."""

from polychain.dataset import download, tabular
from polychain.dataset.convert import (
    ConcatWithAsyncTransfer,
    Converter,
    call_converter,
    concat_examples,
    converter,
    to_device,
)
from polychain.dataset.dataset_mixin import DatasetMixin
from polychain.dataset.download import (
    cache_or_load_file,
    cached_download,
    get_dataset_directory,
    get_dataset_root,
    set_dataset_root,
)
from polychain.dataset.iterator import Iterator
from polychain.dataset.tabular.tabular_dataset import TabularDataset

__all__ = [
    'ConcatWithAsyncTransfer', 'Converter', 'DatasetMixin', 'Iterator', 'TabularDataset',
    'cache_or_load_file',
    'cached_download', 'call_converter', 'concat_examples', 'converter', 'download',
    'get_dataset_directory', 'get_dataset_root', 'set_dataset_root', 'tabular', 'to_device',
]
