"""Reading IDX files, the format of MNIST and Fashion-MNIST (gzip-compressed or raw)."""

from __future__ import annotations

import gzip
import os
import zlib

import numpy

GZIP_MAGIC = b'\x1f\x8b'

# The IDX type byte and the big-endian NumPy dtype it stands for.
IDX_DTYPES = {
    0x08: numpy.dtype('u1'),
    0x09: numpy.dtype('i1'),
    0x0B: numpy.dtype('>i2'),
    0x0C: numpy.dtype('>i4'),
    0x0D: numpy.dtype('>f4'),
    0x0E: numpy.dtype('>f8'),
}


def _read_bytes(path: str) -> bytes:
    with open(path, 'rb') as file:
        content = file.read()
    if not content.startswith(GZIP_MAGIC):
        return content
    try:
        return gzip.decompress(content)
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(f'read_idx: {path} is a corrupt or truncated gzip file ({error})') \
            from error


def read_idx(path: str | os.PathLike) -> numpy.ndarray:
    """Reads an IDX file into an array of its shape, in native byte order.

    Gzip-compressed files are recognised by their content, whatever their name.

    Args:
        path (str): The file.

    Raises:
        ValueError: The file is not a complete IDX file: a wrong magic number,
            an unknown type byte, or fewer or more data bytes than its header
            announces. The message names the file.
    """
    path = os.fspath(path)
    content = _read_bytes(path)
    if len(content) < 4 or content[0] != 0 or content[1] != 0:
        raise ValueError(f'read_idx: {path} is not an IDX file: expected a magic number starting '
                         f'with two zero bytes, received {content[:4].hex() or "an empty file"}')
    type_code, ndim = content[2], content[3]
    if type_code not in IDX_DTYPES:
        raise ValueError(f'read_idx: {path} has an unknown IDX type byte 0x{type_code:02x}; '
                         f'expected one of {", ".join(f"0x{c:02x}" for c in IDX_DTYPES)}')
    header_size = 4 + 4 * ndim
    if len(content) < header_size:
        raise ValueError(f'read_idx: {path} is truncated: its header needs {header_size} bytes, '
                         f'the file has {len(content)}')
    shape = tuple(int(size) for size in numpy.frombuffer(content, '>u4', ndim, offset=4))
    dtype = IDX_DTYPES[type_code]
    expected = int(numpy.prod(shape, dtype=numpy.int64)) * dtype.itemsize
    received = len(content) - header_size
    if received != expected:
        problem = 'truncated' if received < expected else 'longer than its header says'
        raise ValueError(f'read_idx: {path} is {problem}: shape {shape} needs {expected} data '
                         f'bytes, the file has {received}')
    data = numpy.frombuffer(content, dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder('='))

