"""read_idx: parsing and validating IDX files, gzip-compressed or raw."""

import gzip
import struct

import numpy
import pytest

from polychain.datasets.idx import read_idx


@pytest.mark.parametrize('compress', [True, False], ids=['gzip', 'raw'])
def test_reads_shape_and_values(tmp_path, write_idx, compress):
    array = numpy.arange(24, dtype=numpy.uint8).reshape(2, 3, 4)
    path = write_idx(tmp_path / 'a-idx3-ubyte', array, compress)
    result = read_idx(path)
    assert result.dtype == numpy.uint8
    numpy.testing.assert_array_equal(result, array)


def test_reads_big_endian_int32(tmp_path):
    values = [1, -2, 70000]
    content = struct.pack('>BBBBI', 0, 0, 0x0C, 1, 3) + struct.pack('>3i', *values)
    (tmp_path / 'ints').write_bytes(content)
    result = read_idx(tmp_path / 'ints')
    assert result.dtype == numpy.int32 and result.dtype.isnative
    assert result.tolist() == values


def test_wrong_magic_names_the_file(tmp_path):
    path = tmp_path / 'not-idx'
    path.write_bytes(b'PK\x03\x04rest')
    with pytest.raises(ValueError, match=r'read_idx: .*not-idx is not an IDX file'):
        read_idx(path)


def test_unknown_type_byte_is_rejected(tmp_path):
    path = tmp_path / 'odd-type'
    path.write_bytes(struct.pack('>BBBBI', 0, 0, 0x07, 1, 0))
    with pytest.raises(ValueError, match='odd-type has an unknown IDX type byte 0x07'):
        read_idx(path)


@pytest.mark.parametrize('cut, problem', [(-5, 'truncated'), (6, 'truncated')])
def test_truncated_raw_file_names_the_file(tmp_path, idx_bytes, cut, problem):
    content = idx_bytes(numpy.zeros((3, 4, 4), dtype=numpy.uint8))
    path = tmp_path / 'short-idx3-ubyte'
    path.write_bytes(content[:cut])
    with pytest.raises(ValueError, match=f'short-idx3-ubyte is {problem}'):
        read_idx(path)


def test_extra_bytes_are_rejected(tmp_path, idx_bytes):
    path = tmp_path / 'long'
    path.write_bytes(idx_bytes(numpy.zeros(4, dtype=numpy.uint8)) + b'\x00')
    with pytest.raises(ValueError, match='long is longer than its header says'):
        read_idx(path)


def test_truncated_gzip_names_the_file(tmp_path, idx_bytes):
    compressed = gzip.compress(idx_bytes(numpy.arange(200, dtype=numpy.uint8)))
    path = tmp_path / 'cut.gz'
    path.write_bytes(compressed[:len(compressed) // 2])
    with pytest.raises(ValueError, match='cut.gz is a corrupt or truncated gzip file'):
        read_idx(path)
