"""sparse_matmul: products with a CooMatrix on every device, batches, gradients, checks."""

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import utils
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _sparse(rng, shape):
    dense = rng.uniform(0.5, 1.0, shape)
    dense[dense < 0.75] = 0
    return dense


@pytest.mark.parametrize('transa, transb', [(False, False), (True, False), (False, True),
                                            (True, True)])
def test_batched_products_match_dense_ones(device, rng, transa, transb):
    a = _sparse(rng, (2, 3, 4))
    op_a = a.swapaxes(1, 2) if transa else a
    op_b = rng.uniform(-1, 1, (2, op_a.shape[2], 5))
    b = op_b.swapaxes(1, 2).copy() if transb else op_b
    expected = op_a @ op_b
    sp_a = utils.to_coo(device.send(a), ldnz=12)  # padded
    y = F.sparse_matmul(sp_a, device.send(b), transa=transa, transb=transb)
    numpy.testing.assert_allclose(to_host(y.array), expected, rtol=1e-12)
    # the same product transposed, with the sparse matrix on the right
    y = F.sparse_matmul(device.send(b), sp_a, transa=not transb, transb=not transa)
    numpy.testing.assert_allclose(to_host(y.array), expected.swapaxes(1, 2), rtol=1e-12)


def test_gradients_reach_the_values_and_the_dense_operand(device):
    a = numpy.array([[0.0, 2.0], [3.0, 0.0]])
    b = polychain.Variable(device.send(numpy.array([[1.0, 2.0], [4.0, 8.0]])))
    sp_a = utils.to_coo(device.send(a), ldnz=3, requires_grad=True)
    F.sum(F.sparse_matmul(sp_a, b) * device.send(numpy.array([[1.0, 0.0], [0.0, 1.0]])))\
        .backward()
    # values at (0, 1) and (1, 0), then one padding entry that gets nothing
    numpy.testing.assert_array_equal(to_host(sp_a.data.grad), [4.0, 2.0, 0.0])
    numpy.testing.assert_array_equal(to_host(b.grad), [[0.0, 3.0], [2.0, 0.0]])


def test_output_takes_the_promoted_dtype_and_gradients_their_inputs(device):
    a = numpy.array([[0.0, 2.0], [3.0, 0.0]], dtype='float32')
    sp_a = utils.to_coo(device.send(a), requires_grad=True)
    b = polychain.Variable(device.send(numpy.ones((2, 2))))
    y = F.sparse_matmul(sp_a, b)
    assert to_host(y.array).dtype == numpy.float64
    F.sum(y).backward()
    assert to_host(sp_a.data.grad).dtype == numpy.float32
    assert to_host(b.grad).dtype == numpy.float64


def test_double_backward(device):
    sp_a = utils.to_coo(device.send(numpy.array([[0.0, 2.0, 1.0], [3.0, 0.0, 0.0]])),
                        requires_grad=True)
    b = polychain.Variable(device.send(numpy.arange(6.0).reshape(3, 2)))
    gb, = polychain.grad([F.sum(F.sparse_matmul(sp_a, b) ** 2)], [b],
                         enable_double_backprop=True)
    gdata, = polychain.grad([F.sum(gb)], [sp_a.data])
    assert gdata.shape == sp_a.data.shape and numpy.isfinite(to_host(gdata.array)).all()


def test_rejects_two_sparse_or_two_dense_operands():
    a = numpy.eye(3)
    with pytest.raises(ValueError, match='exactly one CooMatrix'):
        F.sparse_matmul(utils.to_coo(a), utils.to_coo(a))
    with pytest.raises(ValueError, match='exactly one CooMatrix'):
        F.sparse_matmul(a, a)


@pytest.mark.parametrize('a_shape, b_shape', [((2, 3, 3), (3, 3)), ((2, 3, 3), (3, 3, 3)),
                                              ((1, 2, 3), (1, 4, 5))])
def test_rejects_mismatched_shapes(a_shape, b_shape):
    a, b = numpy.ones(a_shape), numpy.ones(b_shape)
    with pytest.raises(InvalidType):
        F.sparse_matmul(utils.to_coo(a), b)
