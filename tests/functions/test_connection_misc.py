"""embed_id, bilinear, local_convolution_2d, shift and depthwise_convolution_2d: Chainer's
semantics and errors beyond what the conformance catalogue checks."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _variable(device, array, requires_grad=True):
    return polychain.Variable(device.send(numpy.asarray(array)), requires_grad=requires_grad)


def _host(variable):
    return numpy.asarray(to_host(variable.array))


# -- embed_id -----------------------------------------------------------------------------
def test_embed_id_looks_up_rows_and_zeroes_ignored_ids(device):
    w = numpy.arange(12, dtype='float32').reshape(4, 3)
    x = device.send(numpy.array([[3, -1], [0, 3]], dtype='int32'))
    y = F.embed_id(x, _variable(device, w), ignore_label=-1)
    expected = numpy.stack([numpy.stack([w[3], numpy.zeros(3)]), numpy.stack([w[0], w[3]])])
    numpy.testing.assert_array_equal(_host(y), expected)


def test_embed_id_gradient_accumulates_repeated_ids_and_skips_ignored(device):
    w = _variable(device, numpy.zeros((4, 2), dtype='float64'))
    x = device.send(numpy.array([1, 1, 2, 0], dtype='int64'))
    y = F.embed_id(x, w, ignore_label=0)
    y.grad = device.send(numpy.arange(8, dtype='float64').reshape(4, 2))
    y.backward()
    numpy.testing.assert_array_equal(_host(w.grad_var),
                                     [[0, 0], [2, 4], [4, 5], [0, 0]])


def test_embed_id_second_order_gradient_looks_up_rows_again(device):
    w = _variable(device, numpy.ones((3, 2), dtype='float64'))
    x = device.send(numpy.array([2, 0, 2], dtype='int32'))
    y = F.embed_id(x, w)
    gy = _variable(device, numpy.ones((3, 2), dtype='float64'))
    gw, = polychain.grad([y], [w], [gy], enable_double_backprop=True)
    ggw = numpy.arange(6, dtype='float64').reshape(3, 2)
    ggy, = polychain.grad([gw], [gy], [_variable(device, ggw, False)])
    numpy.testing.assert_array_equal(_host(ggy), ggw[[2, 0, 2]])


def test_embed_id_rejects_floating_ids(device):
    w = _variable(device, numpy.ones((3, 2), dtype='float32'))
    with pytest.raises(InvalidType, match='EmbedIDFunction'):
        F.embed_id(device.send(numpy.zeros(3, dtype='float32')), w)


def test_embed_id_rejects_non_integer_ignore_label(device):
    w = _variable(device, numpy.ones((3, 2), dtype='float32'))
    with pytest.raises(TypeError, match='ignore_label'):
        F.embed_id(device.send(numpy.zeros(3, dtype='int32')), w, ignore_label=0.5)


def test_embed_id_checks_the_id_range_in_debug_mode(device):
    w = _variable(device, numpy.ones((3, 2), dtype='float32'))
    x = device.send(numpy.array([0, 3], dtype='int32'))
    with polychain.using_config('debug', True), pytest.raises(ValueError, match=r'in \[0, 3\)'):
        F.embed_id(x, w)


# -- bilinear ------------------------------------------------------------------------------
def test_bilinear_requires_all_or_none_of_the_linear_terms(device):
    e1 = _variable(device, numpy.ones((2, 3), dtype='float32'))
    e2 = _variable(device, numpy.ones((2, 4), dtype='float32'))
    w = _variable(device, numpy.ones((3, 4, 5), dtype='float32'))
    v1 = _variable(device, numpy.ones((3, 5), dtype='float32'))
    with pytest.raises(ValueError, match=r"bilinear: .*\['V2', 'b'\]"):
        F.bilinear(e1, e2, w, V1=v1)


def test_bilinear_rejects_mismatched_weight(device):
    e1 = _variable(device, numpy.ones((2, 3), dtype='float32'))
    e2 = _variable(device, numpy.ones((2, 4), dtype='float32'))
    w = _variable(device, numpy.ones((4, 3, 5), dtype='float32'))
    with pytest.raises(InvalidType, match='bilinear'):
        F.bilinear(e1, e2, w)


def test_bilinear_of_one_hot_inputs_picks_one_weight_row(device):
    w = numpy.arange(24, dtype='float64').reshape(2, 3, 4)
    e1 = _variable(device, numpy.array([[0.0, 1.0]]))
    e2 = _variable(device, numpy.array([[0.0, 0.0, 1.0]]))
    numpy.testing.assert_array_equal(_host(F.bilinear(e1, e2, _variable(device, w))), w[1:, 2])


# -- local_convolution_2d ------------------------------------------------------------------
def test_local_convolution_2d_rejects_weight_for_another_output_size(device):
    x = _variable(device, numpy.ones((1, 2, 5, 5), dtype='float32'))
    w = _variable(device, numpy.ones((3, 4, 4, 2, 3, 3), dtype='float32'))
    with pytest.raises(InvalidType, match=r'(?s)LocalConvolution2DFunction.*\(3, 3\)'):
        F.local_convolution_2d(x, w)


def test_local_convolution_2d_uses_a_separate_filter_per_pixel(device):
    x = numpy.arange(9, dtype='float64').reshape(1, 1, 3, 3)
    w = numpy.zeros((1, 2, 2, 1, 2, 2))
    w[0, 0, 0, 0, 0, 0] = 1.0  # top-left output reads its top-left input
    w[0, 1, 1, 0, 1, 1] = 2.0  # bottom-right output reads twice its bottom-right input
    y = F.local_convolution_2d(_variable(device, x), _variable(device, w))
    numpy.testing.assert_array_equal(_host(y), [[[[0.0, 0.0], [0.0, 16.0]]]])


# -- shift ---------------------------------------------------------------------------------
def _impulses(channels, size=5):
    x = numpy.zeros((1, channels, size, size), dtype='float64')
    x[:, :, size // 2, size // 2] = 1.0
    return x


def test_shift_moves_each_group_by_its_window_offset_and_keeps_the_centre_last(device):
    y = _host(F.shift(_variable(device, _impulses(9)), ksize=3))
    positions = [tuple(numpy.argwhere(y[0, c])[0]) for c in range(9)]
    # Offsets in row-major order, the centre (no move) swapped with the last group.
    assert positions == [(1, 1), (1, 2), (1, 3), (2, 1), (3, 3), (2, 3), (3, 1), (3, 2),
                         (2, 2)]


def test_shift_dilate_scales_the_offsets_and_extra_channels_stay(device):
    y = _host(F.shift(_variable(device, _impulses(11, size=7)), ksize=3, dilate=2))
    assert tuple(numpy.argwhere(y[0, 0])[0]) == (1, 1)
    for c in (8, 9, 10):
        assert tuple(numpy.argwhere(y[0, c])[0]) == (3, 3)


def test_shift_gradient_moves_back(device):
    x = _variable(device, _impulses(9))
    y = F.shift(x, ksize=3)
    y.grad = y.array
    y.backward()
    numpy.testing.assert_array_equal(_host(x.grad_var), _impulses(9))


@pytest.mark.parametrize('ksize', [2, (3, 4)])
def test_shift_rejects_even_kernel_sizes(ksize, device):
    with pytest.raises(ValueError, match='odd'):
        F.shift(_variable(device, _impulses(16)), ksize=ksize)


def test_shift_needs_a_channel_per_window_offset(device):
    with pytest.raises(InvalidType, match='Shift'):
        F.shift(_variable(device, _impulses(8)), ksize=3)


# -- depthwise_convolution_2d --------------------------------------------------------------
def test_depthwise_output_channels_are_grouped_by_input_channel(device):
    x = numpy.stack([numpy.full((3, 3), 1.0), numpy.full((3, 3), 10.0)])[None]
    w = numpy.stack([numpy.ones((2, 1, 1)), 2 * numpy.ones((2, 1, 1))])  # multiplier 2
    y = _host(F.depthwise_convolution_2d(_variable(device, x), _variable(device, w)))
    numpy.testing.assert_array_equal(y[0, :, 0, 0], [1.0, 2.0, 10.0, 20.0])


def test_depthwise_rejects_a_bias_of_the_wrong_length(device):
    x = _variable(device, numpy.ones((1, 2, 3, 3), dtype='float32'))
    w = _variable(device, numpy.ones((3, 2, 2, 2), dtype='float32'))
    b = _variable(device, numpy.ones((3,), dtype='float32'))
    with pytest.raises(InvalidType, match=r'(?s)depthwise_convolution_2d.*\(6,\)'):
        F.depthwise_convolution_2d(x, w, b)


@pytest.mark.parametrize('x_dtype, w_dtype', [('float32', 'float64'), ('float64', 'float32')])
def test_local_convolution_2d_weight_of_another_dtype(device, x_dtype, w_dtype):
    # As Chainer: y and gx in x's dtype, gW in W's; the gradients are right.
    rng = numpy.random.default_rng(5)
    x = device.send(rng.uniform(-1, 1, (2, 3, 4, 4)).astype(x_dtype))
    w = device.send(rng.uniform(-1, 1, (2, 2, 2, 3, 3, 3)).astype(w_dtype))
    b = device.send(rng.uniform(-1, 1, (2, 2, 2)).astype(x_dtype))
    y = F.local_convolution_2d(x, w, b)
    assert to_host(y.array).dtype == x_dtype
    gradient_check.check_backward(F.local_convolution_2d, (x, w, b),
                                  device.send(rng.uniform(-1, 1, y.shape).astype(x_dtype)),
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-4)
