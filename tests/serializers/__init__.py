"""Tests of polychain.serializers: the protocol, NPZ and HDF5 files, failures."""
