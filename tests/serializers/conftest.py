"""Fixtures of the serializer tests: each file format, and a model that differs from a fresh one."""

from __future__ import annotations

import pytest

from .serializer_checks import FORMATS, SKIP_WITHOUT_H5PY, FileFormat, Model


@pytest.fixture(params=[pytest.param(name, id=name, marks=[SKIP_WITHOUT_H5PY] if
                                     name == 'hdf5' else []) for name in FORMATS])
def file_format(request) -> FileFormat:
    """Each file format (HDF5 skipped without h5py)."""
    return FORMATS[request.param]


@pytest.fixture
def trained_model(rng) -> Model:
    """A :class:`Model` on ``@numpy`` whose persistent values differ from a fresh one's."""
    model = Model()
    model.mean = rng.standard_normal(2).astype('float32')
    model.count = 7
    model.scale = 0.25
    model.flag = True
    model.label = 'trained'
    return model
