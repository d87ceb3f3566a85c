"""The catalogue of serialization cases: a trained model saved on one device, loaded on others.

Each case trains a model case for a few steps, saves the model and its
optimizer in one format, and loads both into a fresh model and optimizer on
every device of the run: everything saved must come back bit-identical and
the loaded model must predict what the saved one did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from polychain import serializers
from polychain_conformance.model_cases import ModelCase, tutorial_classifier


@dataclass(frozen=True)
class SerializationFormat:
    """A file format of ``polychain.serializers``.

    Args:
        name: Its name (``npz``, ``hdf5``).
        suffix: The file name suffix.
        save: ``save(path, obj)``.
        load: ``load(path, obj)``.
        requires: A module the format needs (``h5py``), or ``''``.
    """

    name: str
    suffix: str
    save: Callable[[Any, Any], None]
    load: Callable[[Any, Any], None]
    requires: str = ''


NPZ = SerializationFormat('npz', '.npz', serializers.save_npz, serializers.load_npz)
HDF5 = SerializationFormat('hdf5', '.h5', serializers.save_hdf5, serializers.load_hdf5, 'h5py')


@dataclass(frozen=True)
class SerializationCase:
    """Saving a trained model and its optimizer in one format, loading them on every device.

    Args:
        name: Unique name of the case.
        format: The file format.
        training: The model case that is trained before saving.
    """

    name: str
    format: SerializationFormat
    training: ModelCase

    @property
    def dtypes(self) -> tuple[str, ...]:
        """The dtypes of the training case."""
        return self.training.dtypes

    @property
    def label(self) -> str:
        """How reports name what is under test (``serializers.save_npz/load_npz``)."""
        return f'serializers.save_{self.format.name}/load_{self.format.name}'


_ADAM = ModelCase('mlp_Adam_5_steps', 'tutorial MLP', tutorial_classifier, 'Adam',
                  {'alpha': 0.01}, steps=5)
_MOMENTUM = ModelCase('mlp_MomentumSGD_5_steps', 'tutorial MLP', tutorial_classifier,
                      'MomentumSGD', {'lr': 0.05, 'momentum': 0.9}, steps=5)

SERIALIZATION_CASES: tuple[SerializationCase, ...] = (
    SerializationCase('npz_mlp_Adam', NPZ, _ADAM),
    SerializationCase('npz_mlp_MomentumSGD', NPZ, _MOMENTUM),
    SerializationCase('hdf5_mlp_Adam', HDF5, _ADAM),
)
