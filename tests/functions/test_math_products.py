"""Products and linear algebra: einsum's subset, tensordot, batch_matmul, cholesky, bias, scale."""

import warnings

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _variable(device, values, dtype='float64'):
    return polychain.Variable(device.send(numpy.asarray(values, dtype=dtype)))


@pytest.mark.parametrize('subscripts, message', [
    ('ij,jk->ik', 'expected 2 operands'),
    ('ij->ix', 'appear in no operand'),
    ('ij->...', 'ellipsis that no operand has'),
    ('...->', 'lacks the ellipsis'),
    ('ij->ii', 'appears twice'),
])
def test_einsum_rejects_malformed_subscripts(device, subscripts, message):
    x = _variable(device, numpy.ones((2, 2)))
    with pytest.raises(ValueError, match=message):
        F.einsum(subscripts, x)


@pytest.mark.parametrize('subscripts, shapes', [
    ('ij,jk->ik', ((2, 3), (4, 5))),
    ('ii', ((2, 3),)),
    ('ijk', ((2, 2),)),
    ('...i,...i', ((2, 2), (1, 2))),
    ('...i,...i', ((2,), (1, 2))),
])
def test_einsum_rejects_mismatched_lengths(device, subscripts, shapes):
    operands = [_variable(device, numpy.ones(shape)) for shape in shapes]
    with pytest.raises(InvalidType):
        F.einsum(subscripts, *operands)


@pytest.mark.parametrize('subscripts, shapes', [
    ('ii->i', ((3, 3),)),
    ('ii', ((3, 3),)),
    ('iij,kkj', ((2, 2, 3), (4, 4, 3))),
    ('...ij,...jk->...ik', ((2, 1, 2, 3), (2, 1, 3, 4))),
    ('i...j,jk...->k...i', ((4, 2, 3), (3, 5, 2))),
    ('ii...,...jj', ((2, 2, 4), (4, 3, 3))),
    (',ij->i', ((), (3, 4))),
    ('i,ji,i', ((3,), (2, 3), (3,))),
])
def test_einsum_matches_numpy_with_gradients(device, subscripts, shapes):
    rng = numpy.random.default_rng(0)
    xs = [rng.uniform(-1, 1, shape) for shape in shapes]
    expected = numpy.einsum(subscripts, *xs)
    y = F.einsum(subscripts, *[device.send(x) for x in xs])
    numpy.testing.assert_allclose(to_host(y.array), expected, rtol=1e-12)
    gy = rng.uniform(-1, 1, expected.shape)
    ggxs = [rng.uniform(-1, 1, shape) for shape in shapes]

    def f(*vs):
        return F.einsum(subscripts, *vs)
    sent = tuple(device.send(x) for x in xs)
    gradient_check.check_backward(f, sent, device.send(gy), atol=1e-7, rtol=1e-6)
    gradient_check.check_double_backward(f, sent, device.send(gy),
                                         tuple(device.send(g) for g in ggxs),
                                         atol=1e-7, rtol=1e-6)


def test_einsum_takes_numpys_integer_subscripts(device):
    a, b = numpy.arange(6.0).reshape(2, 3), numpy.arange(12.0).reshape(3, 4)
    y = F.einsum(device.send(a), [0, 1], device.send(b), [1, 2], [2, 0])
    numpy.testing.assert_array_equal(to_host(y.array), (a @ b).T)
    y = F.einsum(device.send(b), [Ellipsis, 0])
    numpy.testing.assert_array_equal(to_host(y.array), b)


def test_diag_einsum_broadcasts_and_places_diagonals(device):
    from polychain.functions.math.einsum import DiagEinSum
    x = numpy.array([1.0, 2.0, 3.0])
    y, = DiagEinSum('i', 'ij', (3, 2)).apply((device.send(x),))
    numpy.testing.assert_array_equal(to_host(y.array), numpy.repeat(x[:, None], 2, axis=1))
    y, = DiagEinSum('i', 'ii', (3, 3)).apply((device.send(x),))
    numpy.testing.assert_array_equal(to_host(y.array), numpy.diag(x))


def test_einsum_on_raw_arrays_returns_a_variable(device):
    x = device.send(numpy.arange(6.0).reshape(2, 3))
    y = F.einsum('ij->ij', x)
    assert isinstance(y, polychain.Variable)
    numpy.testing.assert_array_equal(to_host(y.array), numpy.arange(6.0).reshape(2, 3))


@pytest.mark.parametrize('axes, error', [(1.0, TypeError), (((), (), ()), ValueError),
                                         (((0, 3), (0, 1)), ValueError)])
def test_tensordot_checks_the_type_of_axes(device, axes, error):
    a, b = _variable(device, numpy.ones((2, 3))), _variable(device, numpy.ones((2, 3)))
    with pytest.raises(error):
        F.tensordot(a, b, axes=axes)


def test_tensordot_takes_numpy_integers_as_axes(device):
    a, b = numpy.ones((2, 3)), numpy.ones((3, 4))
    y = F.tensordot(device.send(a), device.send(b), axes=numpy.int64(1))
    numpy.testing.assert_array_equal(to_host(y.array), a @ b)


def test_tensordot_rejects_mismatched_axes(device):
    a, b = _variable(device, numpy.ones((2, 3))), _variable(device, numpy.ones((4, 5)))
    with pytest.raises(ValueError, match='tensordot: axis 1 of a'):
        F.tensordot(a, b, axes=1)


def test_batch_matmul_is_deprecated(device):
    a, b = _variable(device, numpy.ones((2, 3, 4))), _variable(device, numpy.ones((2, 4, 5)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        y = F.batch_matmul(a, b)
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    assert y.shape == (2, 3, 5)


@pytest.mark.parametrize('function', [F.inv, F.det, F.cholesky])
def test_linear_algebra_computes_float16_in_float32(device, function):
    if getattr(device.xp, 'float16', None) is None:
        pytest.skip(f'{device} has no float16')
    host = numpy.array([[2.0, 0.5], [0.5, 1.0]])
    y = function(device.send(host.astype('float16')))
    assert y.dtype == numpy.float16
    expected = function(host.astype('float32')).array.astype('float16')
    numpy.testing.assert_allclose(to_host(y.array), expected, rtol=1e-3)


@pytest.mark.parametrize('function, shape', [(F.inv, (2, 3, 3)), (F.batch_inv, (3, 3)),
                                              (F.det, (2, 3)), (F.cholesky, (3, 3, 3))])
def test_linear_algebra_checks_shapes(device, function, shape):
    with pytest.raises(InvalidType, match='square'):
        function(_variable(device, numpy.ones(shape)))


def _spd(x):
    """A symmetric positive-definite matrix made from any square ``x``."""
    return F.matmul(x, x, transb=True) + _variable(x.device, numpy.eye(x.shape[0]) * 3.0)


def test_cholesky_gradients_of_symmetric_inputs(device):
    rng = numpy.random.default_rng(1)
    x = device.send(rng.uniform(-1, 1, (3, 3)))
    gy = device.send(numpy.tril(rng.normal(size=(3, 3))))
    ggx = device.send(rng.normal(size=(3, 3)))
    factor = F.cholesky(_spd(polychain.Variable(x)))
    numpy.testing.assert_allclose(to_host(F.matmul(factor, factor, transb=True).array),
                                  to_host(_spd(polychain.Variable(x)).array), rtol=1e-12)
    gradient_check.check_backward(lambda v: F.cholesky(_spd(v)), x, gy, atol=1e-7, rtol=1e-6)
    gradient_check.check_double_backward(lambda v: F.cholesky(_spd(v)), x, gy, ggx,
                                         atol=1e-6, rtol=1e-5)


def test_det_of_singular_matrix_has_finite_value(device):
    y = F.det(_variable(device, [[1.0, 2.0], [2.0, 4.0]]))
    assert abs(float(to_host(y.array))) < 1e-12


def test_bias_and_scale_check_shapes(device):
    x, y = _variable(device, numpy.ones((2, 3, 4))), _variable(device, numpy.ones(4))
    with pytest.raises(ValueError, match='bias: expected y.shape == x.shape\\[1:2\\]'):
        F.bias(x, y)
    with pytest.raises(ValueError, match='scale: expected y.shape'):
        F.scale(x, y, axis=1)
    with polychain.using_config('debug', True), pytest.raises(AssertionError, match='bias'):
        F.bias(x, y)


def test_batch_l2_norm_squared_needs_a_batch_of_arrays(device):
    with pytest.raises(InvalidType, match='x.ndim >= 2'):
        F.batch_l2_norm_squared(_variable(device, numpy.ones(4)))


def test_identity_returns_a_tuple_for_several_inputs(device):
    a, b = _variable(device, [1.0]), _variable(device, [2.0, 3.0])
    single = F.identity(a)
    several = F.identity(a, b)
    assert isinstance(single, polychain.Variable)
    assert isinstance(several, tuple) and len(several) == 2
    F.sum(several[1] * 2.0).backward()
    numpy.testing.assert_array_equal(to_host(b.grad), [2.0, 2.0])


def test_linear_interpolate_checks_shapes(device):
    p, x = _variable(device, numpy.ones(3)), _variable(device, numpy.ones(3))
    with pytest.raises(ValueError, match='linear_interpolate: expected y.shape'):
        F.linear_interpolate(p, x, _variable(device, numpy.ones(2)))
