"""Array functions reject bad arguments with errors that name the function and the argument."""

import numpy
import pytest
from numpy.exceptions import AxisError

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


@pytest.fixture
def x3(device):
    return polychain.Variable(device.send(numpy.zeros((2, 3, 4))))


@pytest.mark.parametrize('index, axis, size', [
    (2, 0, 2), (-3, 0, 2), ((0, 3), 1, 3), ((Ellipsis, 4), 2, 4), ((None, 1, 5), 1, 3),
])
def test_get_item_integer_out_of_bounds_raises_index_error(x3, index, axis, size):
    bad = index if isinstance(index, int) else index[-1]
    with pytest.raises(IndexError, match=rf'get_item: index {bad} is out of bounds for axis '
                                         rf'{axis} with size {size} \(input shape \(2, 3, 4\)\)'):
        F.get_item(x3, index)


def test_get_item_too_many_indices_raises_index_error(x3):
    with pytest.raises(IndexError, match=r'too many indices .* shape \(2, 3, 4\)'):
        x3[0, 0, 0, 0]


def test_get_item_in_bounds_negative_index_still_works(x3):
    assert x3[-2, -3].shape == (4,)


@pytest.mark.parametrize('call', [
    lambda x: F.expand_dims(x, 4),
    lambda x: F.squeeze(x, 3),
    lambda x: F.flip(x, -4),
    lambda x: F.swapaxes(x, 0, 3),
    lambda x: F.moveaxis(x, 3, 0),
    lambda x: F.rollaxis(x, 3),
    lambda x: F.split_axis(x, 2, 3),
    lambda x: F.stack([x, x], 4),
    lambda x: F.concat([x, x], 3),
    lambda x: F.separate(x, 3),
    lambda x: F.diagonal(x, 0, 0, 3),
    lambda x: F.repeat(x, 2, 3),
    lambda x: F.permutate(x, numpy.arange(2), 3),
])
def test_axis_out_of_range_raises_axis_error(x3, call):
    with pytest.raises(AxisError, match=r'(?s)\w+ in \[-\d, \d\) for an input of \d '
                                        r'dimensions.*\w+=-?\d'):
        call(x3)
    with pytest.raises(InvalidType):
        call(x3)


def test_axis_error_is_a_value_error_and_an_index_error(x3):
    with pytest.raises(ValueError):
        F.flip(x3, 3)
    with pytest.raises(IndexError):
        F.flip(x3, 3)


def test_rollaxis_start_out_of_range(x3):
    with pytest.raises(AxisError, match=r'rollaxis: start in \[-3, 3\]'):
        F.rollaxis(x3, 0, 4)


def test_squeeze_of_a_longer_axis(x3):
    with pytest.raises(ValueError, match=r'squeeze: expected axes of length 1, received axis=1'):
        F.squeeze(x3, 1)


def test_concat_of_mismatched_shapes_names_both(device):
    a = device.send(numpy.zeros((2, 3)))
    b = device.send(numpy.zeros((3, 3)))
    with pytest.raises(InvalidType, match=r'(?s)xs\[1\].*\(2, 3\).*\(3, 3\)'):
        F.concat([a, b], axis=1)


def test_split_axis_unequal_sections(x3):
    with pytest.raises(ValueError, match='split_axis: expected a number of sections that '
                                         'divides the axis of length 4'):
        F.split_axis(x3, 3, 2)


def test_broadcast_of_incompatible_shapes(device):
    with pytest.raises(InvalidType, match=r'(?s)broadcast: .*\(2, 3\), \(4,\)'):
        F.broadcast(device.send(numpy.zeros((2, 3))), device.send(numpy.zeros(4)))
    with pytest.raises(InvalidType):
        F.broadcast()


@pytest.mark.parametrize('shape', [(4,), (2, 1, 3), (1, 3, 2, 2)])
def test_broadcast_to_an_incompatible_shape(device, shape):
    with pytest.raises(InvalidType, match='broadcastable'):
        F.broadcast_to(device.send(numpy.zeros((2, 1, 3))[:, :, :2]), shape)


def test_broadcast_to_the_same_shape_keeps_the_array(device):
    x = device.send(numpy.zeros((2, 3)))
    assert F.broadcast_to(x, (2, 3)).array is x


def test_pad_modes_other_than_constant(x3):
    with pytest.raises(ValueError, match="pad: expected mode 'constant', received "
                                         "mode='reflect'"):
        F.pad(x3, 1, 'reflect')


def test_pad_negative_width(x3):
    with pytest.raises(ValueError, match='pad: expected non-negative integers in pad_width'):
        F.pad(x3, -1, 'constant')


def test_pad_sequence_length_shorter_than_a_sequence(device):
    xs = [device.send(numpy.zeros((3, 2))), device.send(numpy.zeros((1, 2)))]
    with pytest.raises(ValueError, match='pad_sequence: .* at least the longest sequence '
                                         r'\(3\), received length=2'):
        F.pad_sequence(xs, length=2)


def test_where_needs_a_boolean_condition(device):
    x = device.send(numpy.zeros(3))
    with pytest.raises(InvalidType, match='condition.dtype == bool'):
        F.where(x, x, x)


def test_select_item_shapes(device):
    with pytest.raises(ValueError, match=r'select_item: .* received x of shape \(2, 3\) and t '
                                         r'of shape \(3,\)'):
        F.select_item(device.send(numpy.zeros((2, 3))), device.send(numpy.zeros(3, 'int64')))


def test_transpose_sequence_needs_decreasing_lengths(device):
    xs = [device.send(numpy.zeros((1, 2))), device.send(numpy.zeros((2, 2)))]
    with pytest.raises(ValueError, match=r'decreasing length, received lengths \[1, 2\]'):
        F.transpose_sequence(xs)


@pytest.mark.parametrize('call, message', [
    (lambda x: F.depth2space(x, 3), 'depth2space: expected a number of channels divisible'),
    (lambda x: F.space2depth(x, 3), 'space2depth: expected height and width divisible'),
    (lambda x: F.im2col(x[0], 2), r'im2col: expected an input of shape \(N, C, H, W\)'),
    (lambda x: F.im2col(x, 5), 'im2col: expected a window of size'),
    (lambda x: F.resize_images(x, (2, 2), mode='cubic'), 'resize_images: expected mode'),
])
def test_image_functions_validate_their_arguments(device, call, message):
    x = polychain.Variable(device.send(numpy.zeros((1, 4, 2, 2))))
    with pytest.raises(ValueError, match=message):
        call(x)


@pytest.mark.parametrize('function, shapes', [(F.vstack, ((3,), (3, 3))), (F.dstack, ((), (1,))),
                                              (F.hstack, ((3,), (1, 3)))])
def test_stacking_inputs_of_different_ndim(device, function, shapes):
    with pytest.raises(InvalidType, match=r'xs\[1\].ndim'):
        function([device.send(numpy.zeros(shape)) for shape in shapes])


@pytest.mark.parametrize('call, error', [
    (lambda x: F.tile(x, 'a'), TypeError), (lambda x: F.tile(x, -1), ValueError),
    (lambda x: F.repeat(x, 'a'), TypeError), (lambda x: F.repeat(x, (-1,)), ValueError),
    (lambda x: F.repeat(x, 1, True), TypeError), (lambda x: F.tile((1, 2), 2), TypeError),
])
def test_tile_and_repeat_check_their_counts(x3, call, error):
    with pytest.raises(error):
        call(x3)


def test_repeat_counts_bools_as_ones(device):
    x = device.send(numpy.arange(2.0))
    numpy.testing.assert_array_equal(to_host(F.repeat(x, True).array), [0.0, 1.0])
    numpy.testing.assert_array_equal(to_host(F.repeat(x, (True, 2)).array), [0.0, 1.0, 1.0])


@pytest.mark.parametrize('constant_values', [1, (1, 2), ((1, 2), (3, 4))])
def test_pad_takes_numpys_forms_of_constant_values(device, constant_values):
    x = numpy.arange(6.0).reshape(2, 3)
    y = F.pad(device.send(x), ((1, 2), (2, 1)), 'constant', constant_values=constant_values)
    numpy.testing.assert_array_equal(
        to_host(y.array), numpy.pad(x, ((1, 2), (2, 1)), 'constant',
                                    constant_values=constant_values))


def test_pad_rejects_constant_values_that_do_not_fit(x3):
    with pytest.raises(TypeError, match='constant_values'):
        F.pad(x3, 1, 'constant', constant_values=(1, 2, 3))


def test_get_item_with_an_empty_list_and_two_ellipses(x3):
    assert x3[[]].shape == (0, 3, 4)
    with pytest.raises(ValueError, match='Ellipsis'):
        F.get_item(x3, (Ellipsis, Ellipsis))


def test_scatter_add_with_too_many_indices(x3):
    with pytest.raises(InvalidType, match='indexed axes'):
        F.scatter_add(x3, (0, 0, 0, 0), x3.device.send(numpy.zeros(())))


@pytest.mark.parametrize('indices', [[0, 0], [-1, 0], [0, 2]])
def test_permutate_checks_the_permutation_in_debug_mode(device, indices):
    x = device.send(numpy.zeros((2, 3)))
    with polychain.using_config('debug', True), pytest.raises(ValueError, match='permutation'):
        F.permutate(x, device.send(numpy.array(indices, 'i')))


@pytest.mark.parametrize('t', [-1, 3])
def test_select_item_checks_t_in_debug_mode(device, t):
    x = device.send(numpy.zeros((2, 3)))
    with polychain.using_config('debug', True), pytest.raises(ValueError, match='select_item'):
        F.select_item(x, device.send(numpy.array([0, t], 'i')))


def test_where_of_shapes_that_do_not_broadcast(device):
    c = device.send(numpy.zeros(3, dtype=bool))
    with pytest.raises(InvalidType, match='broadcast'):
        F.where(c, device.send(numpy.zeros(1)), device.send(numpy.zeros(2)))


def test_noop_cast_and_reshape_keep_the_input(device):
    x = device.send(numpy.zeros((2, 3), dtype='float32'))
    assert F.cast(x, 'float32').array is x
    assert F.reshape(x, (2, 3)).array is x
    v = polychain.Variable(x)
    with polychain.no_backprop_mode():
        assert F.cast(v, numpy.float32) is v
    assert F.cast(v, numpy.float32) is not v
