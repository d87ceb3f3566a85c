"""Saving and loading objects (links, optimizers, trainers) in NPZ and HDF5 formats.

Saving copies arrays to the host; loading sends them to the devices of the
target's current arrays, so a model saved from one backend loads on any other.
Files are written atomically, and a failed load leaves the target unchanged.
HDF5 needs h5py (the ``hdf5`` extra), imported only when used.
"""

from polychain.serializers.hdf5 import HDF5Deserializer, HDF5Serializer, load_hdf5, save_hdf5
from polychain.serializers.npz import DictionarySerializer, NpzDeserializer, load_npz, save_npz
from polychain.serializers.serializer import AbstractSerializer, Deserializer, Serializer

__all__ = [
    'AbstractSerializer', 'Deserializer', 'DictionarySerializer', 'HDF5Deserializer',
    'HDF5Serializer', 'NpzDeserializer', 'Serializer', 'load_hdf5', 'load_npz', 'save_hdf5',
    'save_npz',
]
