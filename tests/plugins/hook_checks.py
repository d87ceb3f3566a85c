"""Checks of the backend hooks that every device of a plugin backend must pass.

Each check takes a :class:`~polychain.backend.Device` and raises
``AssertionError`` on failure; the plugin test modules run :data:`HOOK_CHECKS`
on their devices.
"""

from __future__ import annotations

import warnings

import numpy

from polychain.backend import Device, get_device_from_array, to_host

DTYPES = (numpy.float32, numpy.float64, numpy.int32, numpy.int64, numpy.bool_)


def _draws(device: Device) -> list[numpy.ndarray]:
    random = device.random
    return [to_host(random.uniform((4, 3), 'float32')),
            to_host(random.normal((5,), numpy.float64, loc=1.0, scale=2.0)),
            to_host(random.integers(0, 7, (6,)))]


def check_send_and_to_host_keep_values_and_dtypes(device: Device) -> None:
    for dtype in DTYPES:
        host = (numpy.arange(6).reshape(2, 3) % 2).astype(dtype)
        sent = device.send(host)
        assert get_device_from_array(sent) is device
        back = to_host(sent)
        assert isinstance(back, numpy.ndarray)
        assert back.dtype == dtype
        numpy.testing.assert_array_equal(back, host)


def check_from_host_copies(device: Device) -> None:
    buffer = numpy.zeros(64, dtype=numpy.float32)
    aligned = (-buffer.ctypes.data % 64) // buffer.itemsize
    # libraries share 64-byte aligned host memory more readily: try one of each
    for start in (aligned, aligned + 1):
        host = buffer[start:start + 8]
        sent = device.send(host)
        host[0] = 7.0
        assert to_host(sent)[0] == 0.0, f'the array sent from host offset {start} aliases it'


def check_float64_is_float64(device: Device) -> None:
    x = device.send(numpy.array([1.0, 1e-12]))
    total = device.namespace.sum(x)
    assert x.dtype == numpy.float64
    assert to_host(total).dtype == numpy.float64
    assert to_host(total) != 1.0


def check_same_seed_gives_the_same_stream(device: Device) -> None:
    device.seed(1234)
    first = _draws(device)
    device.seed(1234)
    second = _draws(device)
    for a, b in zip(first, second):
        numpy.testing.assert_array_equal(a, b)
    device.seed(1235)
    other = _draws(device)
    assert not numpy.array_equal(first[0], other[0])


def check_consecutive_draws_differ(device: Device) -> None:
    device.seed(7)
    a = to_host(device.random.uniform((8,), 'float64'))
    b = to_host(device.random.uniform((8,), 'float64'))
    assert not numpy.array_equal(a, b)


def check_draws_have_shape_dtype_range_and_device(device: Device) -> None:
    random = device.random
    uniform = random.uniform((200,), numpy.float32, low=-2.0, high=-1.0)
    normal = random.normal((3, 200), 'float64', loc=5.0, scale=0.5)
    integers = random.integers(3, 6, (200,), numpy.int32)
    for array in (uniform, normal, integers):
        assert get_device_from_array(array) is device
    uniform, normal, integers = to_host(uniform), to_host(normal), to_host(integers)
    assert uniform.shape == (200,) and uniform.dtype == numpy.float32
    assert uniform.min() >= -2.0 and uniform.max() < -1.0
    assert normal.shape == (3, 200) and normal.dtype == numpy.float64
    assert abs(normal.mean() - 5.0) < 0.2 and abs(normal.std() - 0.5) < 0.1
    assert integers.dtype == numpy.int32
    assert set(integers.tolist()) == {3, 4, 5}
    assert to_host(random.integers(0, 2, (3,))).dtype == numpy.int64


def check_scatter_add_accumulates_repeated_indices(device: Device) -> None:
    array = device.send(numpy.zeros((4, 2), dtype=numpy.float32))
    values = device.send(numpy.array([[1, 2], [3, 4], [5, 6]], dtype=numpy.float32))
    result = device.backend.scatter_add(array, numpy.array([1, 3, 1]), values)
    numpy.testing.assert_array_equal(to_host(result), [[0, 0], [6, 8], [0, 0], [3, 4]])
    numpy.testing.assert_array_equal(to_host(array), numpy.zeros((4, 2)))
    device_index = device.send(numpy.array([0, 0]))
    pairs = device.backend.scatter_add(array, (device_index, numpy.array([1, 1])),
                                       device.send(numpy.array([1.0, 2.0], numpy.float32)))
    numpy.testing.assert_array_equal(to_host(pairs)[0], [0, 3])
    assert to_host(pairs).dtype == numpy.float32


def check_index_update_leaves_input_unchanged(device: Device) -> None:
    host = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    array = device.send(host)
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        updated = device.backend.index_update(array, (1, 2), numpy.float64(-1.0))
        sliced = device.backend.index_update(array, (slice(None), 0),
                                             device.send(numpy.array([9, 8], numpy.float32)))
    numpy.testing.assert_array_equal(to_host(array), host)
    expected = host.copy()
    expected[1, 2] = -1
    numpy.testing.assert_array_equal(to_host(updated), expected)
    assert to_host(updated).dtype == numpy.float32
    numpy.testing.assert_array_equal(to_host(sliced)[:, 0], [9, 8])


HOOK_CHECKS = (
    check_send_and_to_host_keep_values_and_dtypes,
    check_from_host_copies,
    check_float64_is_float64,
    check_same_seed_gives_the_same_stream,
    check_consecutive_draws_differ,
    check_draws_have_shape_dtype_range_and_device,
    check_scatter_add_accumulates_repeated_indices,
    check_index_update_leaves_input_unchanged,
)
