"""The NumPy backend's namespace: array-api-compat's, with leaner reductions and creation."""

import numpy
import pytest

import polychain

xp = polychain.get_device('@numpy').namespace

DTYPES = ['bool', 'int8', 'int32', 'uint16', 'float16', 'float32', 'float64', 'complex64']
AXES = [None, 0, 1, -1, (0, 2), ()]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', AXES)
@pytest.mark.parametrize('keepdims', [False, True])
def test_sum_is_numpys_sum(dtype, axis, keepdims):
    x = numpy.arange(24).reshape(2, 3, 4).astype(dtype)
    expected = numpy.sum(x, axis=axis, keepdims=keepdims)
    got = xp.sum(x, axis=axis, keepdims=keepdims)
    assert numpy.asarray(got).dtype == expected.dtype
    numpy.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize('name', ['max', 'min'])
@pytest.mark.parametrize('dtype', ['bool', 'int32', 'float32'])
@pytest.mark.parametrize('axis', AXES)
def test_max_and_min_are_numpys(name, dtype, axis):
    x = (numpy.arange(24).reshape(2, 3, 4) % 7).astype(dtype)
    expected = getattr(numpy, name)(x, axis=axis, keepdims=True)
    got = getattr(xp, name)(x, axis=axis, keepdims=True)
    assert got.dtype == expected.dtype
    numpy.testing.assert_array_equal(got, expected)


def test_sum_with_a_dtype_and_max_propagating_nan():
    x = numpy.array([[1.0, numpy.nan], [2.0, 3.0]], dtype=numpy.float32)
    assert xp.sum(numpy.ones(3, dtype=numpy.int8), dtype=numpy.int8).dtype == numpy.int8
    numpy.testing.assert_array_equal(xp.max(x, axis=1), [numpy.nan, 3.0])


def test_numpy_keywords_beyond_the_standard_still_work():
    x = numpy.arange(6.0).reshape(2, 3)
    assert xp.sum(x, where=x > 2) == 12.0
    assert xp.max(x, initial=10.0) == 10.0
    assert xp.min(numpy.zeros(0), initial=1.0) == 1.0


def test_reductions_of_empty_arrays_behave_as_numpys():
    assert xp.sum(numpy.zeros((0, 3)), axis=0).shape == (3,)
    with pytest.raises(ValueError):
        xp.max(numpy.zeros(0))


@pytest.mark.parametrize('kind', ['real floating', 'integral', 'bool', ('integral', 'bool'),
                                  numpy.float32])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.dtype('int64'), numpy.bool_])
def test_isdtype_answers_as_numpy_again_and_again(dtype, kind):
    expected = numpy.isdtype(dtype, kind)
    assert xp.isdtype(dtype, kind) == expected
    assert xp.isdtype(dtype, kind) == expected


def test_isdtype_rejects_what_numpy_rejects():
    with pytest.raises((TypeError, ValueError)):
        xp.isdtype(numpy.float32, 'no such kind')
    with pytest.raises(TypeError):
        xp.isdtype(numpy.float32, ['real floating'])


def test_asarray_converts_scalars_and_copies_only_when_asked():
    x = numpy.arange(3.0)
    assert xp.asarray(x) is x
    assert xp.asarray(x, copy=True) is not x
    assert xp.asarray(numpy.float32(2.0)).dtype == numpy.float32
    assert xp.asarray(numpy.float32(2.0)).shape == ()
    assert xp.asarray([1, 2], dtype=numpy.int8).dtype == numpy.int8
    assert xp.asarray(x, device='cpu') is x
    with pytest.raises(ValueError):
        xp.asarray(x, copy=False, dtype=numpy.float32)


def test_astype_copies_unless_told_otherwise():
    x = numpy.arange(3.0)
    assert xp.astype(x, numpy.float64) is not x
    assert xp.astype(x, numpy.float64, copy=False) is x
    assert xp.astype(x, numpy.float32, device='cpu').dtype == numpy.float32


@pytest.mark.parametrize('device', [None, 'cpu'])
def test_creation_functions_on_the_host(device):
    x = numpy.ones((2, 3), dtype=numpy.float32)
    assert xp.arange(3, dtype=numpy.int32, device=device).tolist() == [0, 1, 2]
    assert xp.arange(1, 7, 2, device=device).tolist() == [1, 3, 5]
    assert xp.arange(0.0, stop=1.0, step=0.5, device=device).tolist() == [0.0, 0.5]
    assert xp.zeros((), dtype=numpy.float32, device=device).shape == ()
    assert xp.ones(2, device=device).dtype == numpy.float64
    assert xp.full((2,), 7, dtype=numpy.int8, device=device).tolist() == [7, 7]
    assert xp.empty((1, 2), device=device).shape == (1, 2)
    for like in (xp.zeros_like, xp.ones_like, xp.empty_like):
        made = like(x, device=device)
        assert made.shape == (2, 3) and made.dtype == numpy.float32
    assert xp.ones_like(x, dtype=numpy.int32, device=device).dtype == numpy.int32
    assert xp.full_like(x, 2.5, device=device)[0, 0] == 2.5


def test_creation_functions_refuse_devices_numpy_lacks():
    for create, args in ((xp.zeros, ((2,),)), (xp.arange, (3,)),
                         (xp.ones_like, (numpy.zeros(2),))):
        with pytest.raises(ValueError, match='device'):
            create(*args, device='gpu')
    with pytest.raises(ValueError, match='device'):
        xp.asarray([1.0], device='gpu')
