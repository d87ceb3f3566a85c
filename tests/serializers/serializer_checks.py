"""Shared pieces of the serializer tests: file formats, a model with every kind of value."""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy
import pytest

import polychain
import polychain.links as L
from polychain import serializers
from polychain.backend import to_host

H5PY_MISSING = importlib.util.find_spec('h5py') is None
SKIP_WITHOUT_H5PY = pytest.mark.skipif(
    H5PY_MISSING, reason="h5py is not installed (pip install 'polychain[hdf5]')")


@dataclass(frozen=True)
class FileFormat:
    """One file format: how to save to and load from a file name."""

    suffix: str
    save: Callable[..., None]
    load: Callable[..., None]


FORMATS = {
    'npz': FileFormat('.npz', serializers.save_npz, serializers.load_npz),
    'npz-uncompressed': FileFormat(
        '.npz', functools.partial(serializers.save_npz, compression=False), serializers.load_npz),
    'hdf5': FileFormat('.h5', serializers.save_hdf5, serializers.load_hdf5),
}


class Model(polychain.Chain):
    """Two linear layers (the second one lazy) and persistent values of every type."""

    def __init__(self, lazy: bool = False) -> None:
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(3, 4)
            self.l2 = L.Linear(None if lazy else 4, 2)
        self.add_persistent('mean', numpy.zeros(2, dtype='float32'))
        self.add_persistent('count', 0)
        self.add_persistent('scale', 1.0)
        self.add_persistent('flag', False)
        self.add_persistent('label', '')

    def forward(self, x: Any) -> Any:
        return self.l2(self.l1(x))


def host_state(link: polychain.Link) -> dict[str, Any]:
    """Every parameter (host copy, or None) and persistent value of ``link``, keyed by path."""
    target: dict[str, Any] = {}
    serializers.DictionarySerializer(target).save(link)
    return {key: value[()] if value.shape == () else value for key, value in target.items()}


def assert_same_state(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """Asserts two :func:`host_state` results are equal entry by entry."""
    assert actual.keys() == expected.keys()
    for key, value in expected.items():
        numpy.testing.assert_array_equal(actual[key], value, err_msg=key)


def predict(model: polychain.Link, x: numpy.ndarray) -> numpy.ndarray:
    """The model's output for the host input ``x``, computed on the model's device, on the host."""
    return to_host(model(model.device.send(x)).array)
