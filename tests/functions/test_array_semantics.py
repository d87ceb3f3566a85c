"""Chainer semantics of the array functions that the conformance catalogue cannot express."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host


def _var(device, values, dtype='float64'):
    return polychain.Variable(device.send(numpy.asarray(values, dtype=dtype)))


def test_depth2space_matches_chainer_documentation(device):
    x = _var(device, numpy.arange(24).reshape(1, 4, 2, 3))
    expected = [[0, 6, 1, 7, 2, 8], [12, 18, 13, 19, 14, 20],
                [3, 9, 4, 10, 5, 11], [15, 21, 16, 22, 17, 23]]
    y = F.depth2space(x, 2)
    numpy.testing.assert_array_equal(to_host(y.array), [[expected]])
    numpy.testing.assert_array_equal(to_host(F.space2depth(y, 2).array), to_host(x.array))


def test_cast_gradient_returns_in_the_input_dtype(device):
    x = _var(device, [1.0, 2.0], 'float32')
    y = F.cast(x, numpy.float64)
    assert to_host(y.array).dtype == numpy.float64
    F.sum(y * y).backward()
    assert to_host(x.grad).dtype == numpy.float32
    numpy.testing.assert_allclose(to_host(x.grad), [2.0, 4.0])


@pytest.mark.parametrize('typ', ['float32', numpy.float32, numpy.dtype('float32')])
def test_cast_accepts_names_numpy_types_and_dtypes(device, typ):
    assert to_host(F.cast(_var(device, [1.5]), typ).array).dtype == numpy.float32


def test_broadcast_of_one_argument_is_a_variable(device):
    x = _var(device, [1.0])
    assert isinstance(F.broadcast(x), polychain.Variable)
    assert isinstance(F.broadcast(x.array), polychain.Variable)
    a, b = F.broadcast(x, _var(device, numpy.zeros((2, 3))))
    assert a.shape == b.shape == (2, 3)


def test_split_axis_force_tuple(device):
    x = _var(device, numpy.zeros((2, 4)))
    assert isinstance(F.split_axis(x, 1, 1, force_tuple=False), polychain.Variable)
    assert isinstance(F.split_axis(x, 1, 1), tuple)
    assert [y.shape for y in F.split_axis(x, [1, 9], 1)] == [(2, 1), (2, 3), (2, 0)]


def test_split_axis_gradient_with_unused_pieces(device):
    x = _var(device, numpy.arange(6.0).reshape(2, 3))
    first, _ = F.split_axis(x, [1], 1)
    F.sum(first).backward()
    numpy.testing.assert_array_equal(to_host(x.grad), [[1, 0, 0], [1, 0, 0]])


def test_separate_returns_a_tuple_without_the_axis(device):
    ys = F.separate(_var(device, numpy.zeros((2, 3))), axis=1)
    assert isinstance(ys, tuple) and [y.shape for y in ys] == [(2,)] * 3


def test_scatter_add_accumulates_repeated_indices_and_keeps_a(device):
    a = device.send(numpy.zeros(3))
    b = _var(device, [1.0, 2.0, 3.0])
    y = F.scatter_add(a, device.send(numpy.array([0, 0, 2])), b)
    numpy.testing.assert_array_equal(to_host(y.array), [3, 0, 3])
    numpy.testing.assert_array_equal(to_host(a), [0, 0, 0])
    F.sum(y * y).backward()
    numpy.testing.assert_array_equal(to_host(b.grad), [6, 6, 6])


def test_permutate_inverse_undoes_the_permutation(device):
    x = _var(device, numpy.arange(12.0).reshape(4, 3))
    indices = device.send(numpy.array([2, 0, 3, 1]))
    y = F.permutate(F.permutate(x, indices), indices, inv=True)
    numpy.testing.assert_array_equal(to_host(y.array), to_host(x.array))
    z = F.permutate(x, polychain.Variable(indices, requires_grad=False), axis=0)
    numpy.testing.assert_array_equal(to_host(z.array)[:, 0], [6, 0, 9, 3])


def test_resize_images_align_corners_keeps_corners(device):
    x = _var(device, numpy.arange(12.0).reshape(1, 1, 3, 4))
    y = to_host(F.resize_images(x, (5, 9)).array)
    numpy.testing.assert_allclose(y[0, 0, [0, 0, -1, -1], [0, -1, 0, -1]], [0, 3, 8, 11])
    numpy.testing.assert_allclose(y[0, 0, 2, 0], 4.0)


def test_resize_images_to_same_size_is_identity(device):
    x = _var(device, numpy.arange(12.0).reshape(1, 1, 3, 4))
    for align_corners in (True, False):
        y = F.resize_images(x, (3, 4), align_corners=align_corners)
        numpy.testing.assert_allclose(to_host(y.array), to_host(x.array))


def test_im2col_generic_fallback_matches_the_kernel(monkeypatch):
    device = polychain.get_device('@numpy')
    if device.kernel('im2col_nd') is None:
        pytest.skip('the NumPy backend has no im2col_nd kernel')
    x = numpy.random.default_rng(0).uniform(-1, 1, (2, 3, 7, 6))
    settings = dict(ksize=(3, 2), stride=(2, 1), pad=(1, 2), cover_all=True, dilate=(1, 2))
    fast = to_host(F.im2col(x, **settings).array)
    monkeypatch.setattr(device.backend, 'kernels', {})
    numpy.testing.assert_array_equal(to_host(F.im2col(x, **settings).array), fast)


def test_im2col_output_shape_follows_chainer(device):
    x = _var(device, numpy.zeros((2, 3, 5, 6)))
    assert F.im2col(x, 3, stride=2, pad=1).shape == (2, 27, 3, 3)
    assert F.im2col(x, 2, stride=2, cover_all=True).shape == (2, 12, 3, 3)
    assert F.im2col(x, 2, stride=2).shape == (2, 12, 2, 3)


def test_transpose_sequence_round_trip(device):
    xs = [_var(device, numpy.arange(6.0).reshape(3, 2)), _var(device, [[9.0, 9.0]])]
    ys = F.transpose_sequence(xs)
    assert [y.shape for y in ys] == [(2, 2), (1, 2), (1, 2)]
    back = F.transpose_sequence(ys)
    numpy.testing.assert_array_equal(to_host(back[0].array), to_host(xs[0].array))
    assert F.transpose_sequence([]) == ()


def test_where_gradient_goes_to_the_chosen_side(device):
    condition = device.send(numpy.array([True, False]))
    x, y = _var(device, [1.0, 2.0]), _var(device, [3.0, 4.0])
    F.sum(F.where(polychain.Variable(condition), x, y)).backward()
    numpy.testing.assert_array_equal(to_host(x.grad), [1, 0])
    numpy.testing.assert_array_equal(to_host(y.grad), [0, 1])


def test_pad_sequence_default_length_and_padding(device):
    xs = [_var(device, [1.0, 2.0]), _var(device, [3.0])]
    y = F.pad_sequence(xs, padding=-1)
    numpy.testing.assert_array_equal(to_host(y.array), [[1, 2], [3, -1]])


def test_select_item_accepts_host_labels_for_device_inputs(device):
    x = _var(device, numpy.arange(6.0).reshape(2, 3))
    y = F.select_item(x, numpy.array([2, 0]))
    numpy.testing.assert_array_equal(to_host(y.array), [2, 3])


def test_stacking_helpers_follow_numpy_for_0d_inputs(device):
    a = _var(device, 1.0)
    assert F.hstack([a, a]).shape == (2,)
    assert F.vstack([a, a]).shape == (2, 1)
    assert F.dstack([a, a]).shape == (1, 1, 2)
    assert F.flatten(a).shape == (1,)
