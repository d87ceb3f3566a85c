"""Convolutions: fast kernels against the generic path, Chainer's shapes, errors and gradients."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
from polychain.functions.connection.convolution_compute import (
    convolve,
    convolve_transpose,
    filter_grad,
    generic_convolve,
    generic_convolve_transpose,
    generic_filter_grad,
)
from polychain.functions.connection.convolution_geometry import (
    ConvolutionSpec,
    get_conv_outsize,
    get_deconv_outsize,
)
from polychain.utils.type_check import InvalidType

# (x shape, W shape, stride, pad, dilate, groups, cover_all), chosen to reach every branch of the
# window geometry: strides that do not divide the input, cover_all, padding larger than the
# dilated kernel reach, groups, dilation, 1 to 3 spatial axes.
GEOMETRIES = [
    ((2, 3, 7, 6), (4, 3, 3, 2), (2, 1), (1, 0), (1, 1), 1, False),
    ((2, 4, 7, 6), (6, 2, 2, 3), (2, 3), (0, 1), (2, 1), 2, True),
    ((1, 2, 5), (3, 2, 1), (2,), (2,), (1,), 1, False),
    ((1, 6, 4, 5, 3), (3, 2, 2, 2, 2), (1, 2, 1), (1, 0, 2), (1, 1, 2), 3, True),
    ((2, 2, 8), (2, 2, 3), (3,), (0,), (2,), 1, True),
]


def _spec_and_geometry(x_shape, w_shape, stride, pad, dilate, groups, cover_all):
    spec = ConvolutionSpec(stride, pad, dilate, groups)
    return spec, spec.geometry(x_shape[2:], w_shape[2:], cover_all)


def _x_and_w(rng, x_shape, w_shape, windows):
    return rng.uniform(-1, 1, x_shape), rng.uniform(-1, 1, w_shape)


def _gy_and_w(rng, x_shape, w_shape, windows):
    # The deconvolution maps the convolution's output shape back to x's shape.
    return (rng.uniform(-1, 1, (x_shape[0], w_shape[0]) + windows.out_size),
            rng.uniform(-1, 1, w_shape))


def _x_and_gy(rng, x_shape, w_shape, windows):
    return (rng.uniform(-1, 1, x_shape),
            rng.uniform(-1, 1, (x_shape[0], w_shape[0]) + windows.out_size))


# (kernel name, dispatching function, generic function, inputs, expected output shape or None)
KERNEL_OPERATIONS = [
    ('convolution_nd', convolve, generic_convolve, _x_and_w, None),
    ('deconvolution_nd', convolve_transpose, generic_convolve_transpose, _gy_and_w,
     lambda x_shape, w_shape: x_shape),
    ('convolution_filter_grad_nd',
     lambda device, x, gy, spec, windows: filter_grad(device, x, gy, spec, windows, x.dtype),
     generic_filter_grad, _x_and_gy, lambda x_shape, w_shape: w_shape),
]


@pytest.mark.parametrize('operation', KERNEL_OPERATIONS, ids=lambda op: op[0])
@pytest.mark.parametrize('geometry', GEOMETRIES, ids=str)
def test_kernel_matches_generic(operation, geometry, device, rng):
    name, dispatch, generic_function, make_inputs, expected_shape = operation
    if device.kernel(name) is None:
        pytest.skip(f'{device} has no {name} kernel')
    x_shape, w_shape = geometry[:2]
    spec, windows = _spec_and_geometry(*geometry)
    a, b = (device.send(v) for v in make_inputs(rng, x_shape, w_shape, windows))
    fast = dispatch(device, a, b, spec, windows)
    generic = generic_function(device, a, b, spec, windows)
    assert fast.shape == generic.shape
    if expected_shape is not None:
        assert fast.shape == expected_shape(x_shape, w_shape)
    numpy.testing.assert_allclose(to_host(fast), to_host(generic), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize('geometry', GEOMETRIES, ids=str)
def test_deconvolution_is_the_adjoint_of_convolution(geometry, device, rng):
    x_shape, w_shape, stride, pad, dilate, groups, cover_all = geometry
    x = rng.uniform(-1, 1, x_shape)
    w = rng.uniform(-1, 1, w_shape)
    y = F.convolution_nd(device.send(x), device.send(w), stride=stride, pad=pad,
                         cover_all=cover_all, dilate=dilate, groups=groups)
    gy = rng.uniform(-1, 1, y.shape)
    gx = F.deconvolution_nd(device.send(gy), device.send(w), stride=stride, pad=pad,
                            outsize=x_shape[2:], dilate=dilate, groups=groups)
    numpy.testing.assert_allclose(numpy.vdot(to_host(y.array), gy),
                                  numpy.vdot(x, to_host(gx.array)), rtol=1e-10)


def test_convolution_2d_output_shape_follows_chainer(device, dtype):
    x = device.send(numpy.zeros((2, 3, 10, 9), dtype))
    w = device.send(numpy.zeros((5, 3, 3, 4), dtype))
    y = F.convolution_2d(x, w, stride=(3, 2), pad=1)
    assert y.shape == (2, 5, get_conv_outsize(10, 3, 3, 1), get_conv_outsize(9, 4, 2, 1))
    assert to_host(y.array).dtype == dtype
    covered = F.convolution_2d(x, w, stride=(3, 2), pad=1, cover_all=True)
    assert covered.shape == (2, 5, 4, 5)


def test_deconvolution_2d_default_outsize_follows_chainer(device):
    x = device.send(numpy.zeros((1, 2, 4, 3), numpy.float32))
    w = device.send(numpy.zeros((2, 3, 3, 2), numpy.float32))
    y = F.deconvolution_2d(x, w, stride=2, pad=1, dilate=(1, 2))
    assert y.shape == (1, 3, get_deconv_outsize(4, 3, 2, 1), get_deconv_outsize(3, 2, 2, 1, d=2))


def test_bias_is_added_per_channel(device):
    x = device.send(numpy.zeros((1, 2, 3, 3), numpy.float64))
    w = device.send(numpy.ones((2, 2, 2, 2), numpy.float64))
    b = device.send(numpy.array([1.5, -2.0]))
    y = to_host(F.convolution_2d(x, w, b).array)
    numpy.testing.assert_array_equal(y[0, 0], numpy.full((2, 2), 1.5))
    numpy.testing.assert_array_equal(y[0, 1], numpy.full((2, 2), -2.0))


def test_dilated_convolution_2d_is_convolution_2d_with_dilate(device, rng):
    x = device.send(rng.uniform(-1, 1, (2, 2, 7, 7)))
    w = device.send(rng.uniform(-1, 1, (3, 2, 3, 3)))
    numpy.testing.assert_allclose(
        to_host(F.dilated_convolution_2d(x, w, stride=2, pad=1, dilate=2).array),
        to_host(F.convolution_2d(x, w, stride=2, pad=1, dilate=2).array))


def test_convolution_double_backward_with_respect_to_all_inputs(device):
    rng = numpy.random.default_rng(1)
    args = [device.send(rng.uniform(-1, 1, s)) for s in ((2, 4, 5, 4), (4, 2, 2, 3), (4,))]
    gy = device.send(rng.uniform(-1, 1, (2, 4, 4, 2)))
    ggs = [device.send(rng.uniform(-1, 1, a.shape)) for a in args]
    gradient_check.check_double_backward(
        lambda x, w, b: F.convolution_2d(x, w, b, stride=(1, 2), pad=(0, 1), groups=2),
        args, gy, ggs, dtype=numpy.float64, atol=1e-6, rtol=1e-5)


MIXED_DTYPES = [('float16', 'float32'), ('float32', 'float64'), ('float64', 'float16')]


@pytest.mark.parametrize('x_dtype, w_dtype', MIXED_DTYPES)
@pytest.mark.parametrize('function, w_shape', [(F.convolution_2d, (4, 1, 3, 2)),
                                               (F.deconvolution_2d, (2, 2, 3, 2))])
def test_filters_of_another_dtype_follow_chainer(function, w_shape, x_dtype, w_dtype, device):
    # As in Chainer: the product is computed in the wider dtype, y and gx have x's
    # dtype, gW has W's, and the gradients match those of the float64 computation.
    if 'float16' in (x_dtype, w_dtype) and str(device) == '@strict':
        pytest.skip('array_api_strict has no float16')
    rng = numpy.random.default_rng(2)
    x64, w64 = rng.uniform(-1, 1, (2, 2, 5, 4)), rng.uniform(-1, 1, w_shape)
    gy64 = rng.uniform(-1, 1, function(x64, w64, groups=2).shape)
    x, w = (polychain.Variable(device.send(v.astype(d)))
            for v, d in ((x64, x_dtype), (w64, w_dtype)))
    y = function(x, w, groups=2)
    y.grad = device.send(gy64.astype(x_dtype))
    y.backward()
    dtypes = tuple(to_host(a).dtype for a in (y.array, x.grad, w.grad))
    assert dtypes == (x_dtype, x_dtype, w_dtype)
    x64, w64 = (polychain.Variable(v.astype(d).astype('d'))
                for v, d in ((x64, x_dtype), (w64, w_dtype)))
    y64 = function(x64, w64, groups=2)
    y64.grad = gy64.astype(x_dtype).astype('d')
    y64.backward()
    tolerance = {'rtol': 1e-2, 'atol': 1e-2} if 'float16' in (x_dtype, w_dtype) else {}
    for actual, expected in ((y, y64), (x.grad_var, x64.grad_var), (w.grad_var, w64.grad_var)):
        numpy.testing.assert_allclose(to_host(actual.array).astype('d'), expected.array,
                                      **tolerance)


@pytest.mark.parametrize('function, w_shape, message', [
    (F.convolution_2d, (4, 2, 3, 3), 'x.shape[1] == W.shape[1] * groups'),
    (F.deconvolution_2d, (4, 2, 3, 3), 'x.shape[1] == W.shape[0]'),
])
def test_channel_mismatch_raises_invalid_type(function, w_shape, message):
    x = numpy.zeros((1, 3, 5, 5), numpy.float32)
    with pytest.raises(InvalidType, match=message.replace('[', r'\[').replace('*', r'\*')):
        function(x, numpy.zeros(w_shape, numpy.float32))


def test_groups_must_divide_the_filters():
    x = numpy.zeros((1, 4, 5, 5), numpy.float32)
    with pytest.raises(InvalidType, match='groups == 2'):
        F.convolution_2d(x, numpy.zeros((3, 2, 3, 3), numpy.float32), groups=2)


def test_wrong_input_rank_raises_invalid_type():
    with pytest.raises(InvalidType, match='convolution_2d'):
        F.convolution_2d(numpy.zeros((1, 3, 5), numpy.float32),
                         numpy.zeros((2, 3, 3, 3), numpy.float32))


def test_bias_of_wrong_length_raises_invalid_type():
    with pytest.raises(InvalidType, match=r'b.shape == \(2,\)'):
        F.convolution_1d(numpy.zeros((1, 3, 5), numpy.float32),
                         numpy.zeros((2, 3, 3), numpy.float32), numpy.zeros(3, numpy.float32))


def test_kernel_larger_than_padded_input_raises():
    with pytest.raises(ValueError, match='convolution_nd: expected a positive output size'):
        F.convolution_nd(numpy.zeros((1, 1, 3, 3), numpy.float32),
                         numpy.zeros((1, 1, 4, 2), numpy.float32))


@pytest.mark.parametrize('kwargs, argument', [
    ({'stride': (1, 2, 3)}, 'stride'), ({'pad': 1.5}, 'pad'), ({'stride': 0}, 'stride'),
    ({'groups': 0}, 'groups'),
])
def test_bad_hyperparameters_are_named(kwargs, argument):
    with pytest.raises(ValueError, match=f'convolution_2d: .*{argument}'):
        F.convolution_2d(numpy.zeros((1, 2, 5, 5), numpy.float32),
                         numpy.zeros((2, 2, 3, 3), numpy.float32), **kwargs)


def test_deconvolution_rejects_an_outsize_no_convolution_reaches():
    x = numpy.zeros((1, 2, 3, 3), numpy.float32)
    w = numpy.zeros((2, 1, 3, 3), numpy.float32)
    assert F.deconvolution_2d(x, w, stride=2, outsize=(6, 7)).shape == (1, 1, 6, 7)
    with pytest.raises(InvalidType, match=r'outsize == \(9, 7\)'):
        F.deconvolution_2d(x, w, stride=2, outsize=(9, 7))


def test_node_classes_take_chainer_constructor_arguments():
    from polychain.functions.connection.convolution_2d import Convolution2DFunction
    from polychain.functions.connection.convolution_nd import ConvolutionND
    from polychain.functions.connection.deconvolution_2d import Deconvolution2DFunction
    from polychain.functions.connection.deconvolution_nd import DeconvolutionND
    rng = numpy.random.default_rng(6)
    x, w = rng.uniform(-1, 1, (1, 2, 5, 5)), rng.uniform(-1, 1, (2, 2, 3, 3))
    expected = F.convolution_2d(x, w, stride=2, pad=1).array
    for node in (Convolution2DFunction(2, 1), ConvolutionND(2, 2, 1)):
        numpy.testing.assert_array_equal(node.apply((x, w))[0].array, expected)
    expected = F.deconvolution_2d(x, w, stride=2, pad=1, outsize=(9, 9)).array
    for node in (Deconvolution2DFunction(2, 1, (9, 9)), DeconvolutionND(2, 2, 1, (9, 9))):
        numpy.testing.assert_array_equal(node.apply((x, w))[0].array, expected)
    with pytest.raises(InvalidType):
        DeconvolutionND(1).apply((x[0],))


@pytest.mark.parametrize('function', [F.convolution_1d, F.convolution_3d, F.deconvolution_1d,
                                      F.deconvolution_3d])
def test_fixed_rank_functions_reject_inputs_of_another_rank(function):
    with pytest.raises(ValueError, match='spatial axes'):
        function(numpy.zeros((1, 2, 4, 4), 'float32'), numpy.zeros((2, 2, 3, 3), 'float32'))


def test_deconvolution_with_a_non_positive_estimated_outsize_fails_an_assertion():
    # As Chainer, which asserts that the estimated output size is positive.
    with pytest.raises(AssertionError, match='estimated outsize'):
        F.deconvolution_nd(numpy.zeros((2, 3, 4), 'float32'), numpy.zeros((3, 2, 2), 'float32'),
                           pad=10)
