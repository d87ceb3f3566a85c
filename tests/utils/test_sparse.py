"""``utils.CooMatrix``, ``to_coo`` and ``get_order``: coordinate-format matrices."""

from __future__ import annotations

import numpy
import pytest

from polychain import Variable, cuda, utils


def _matrix(batch=None):
    x = numpy.array([[0., 2., 0.], [3., 0., 4.]], numpy.float32)
    return x if batch is None else numpy.stack([x, numpy.eye(2, 3, dtype=numpy.float32)])


def test_to_coo_holds_the_nonzeros_in_row_major_order(device):
    coo = utils.to_coo(device.send(_matrix()))
    assert isinstance(coo.data, Variable) and coo.order == 'C' and coo.shape == (2, 3)
    assert cuda.to_cpu(coo.data.array).tolist() == [2, 3, 4]
    assert cuda.to_cpu(coo.row).tolist() == [0, 1, 1]
    assert cuda.to_cpu(coo.col).tolist() == [1, 0, 2]
    numpy.testing.assert_array_equal(cuda.to_cpu(coo.to_dense()), _matrix())


def test_a_batch_pads_its_entries_with_negative_indices(device):
    x = _matrix(batch=2)
    coo = utils.to_coo(device.send(x), ldnz=4)
    assert coo.data.shape == (2, 4)
    assert cuda.to_cpu(coo.row).tolist() == [[0, 1, 1, -1], [0, 1, -1, -1]]
    assert cuda.to_cpu(coo.data.array)[1].tolist() == [1, 1, 0, 0]
    numpy.testing.assert_array_equal(cuda.to_cpu(coo.to_dense()), x)
    with pytest.raises(ValueError, match='ldnz'):
        utils.to_coo(x, ldnz=2)


def test_to_dense_adds_duplicate_entries(device):
    data, row, col = (device.send(numpy.array(a, dtype)) for a, dtype in
                      (([3., 1., 4.], numpy.float32), ([0, 0, 1], numpy.int32),
                       ([1, 1, 0], numpy.int32)))
    dense = utils.CooMatrix(data, row, col, (2, 2)).to_dense()
    assert cuda.to_cpu(dense).tolist() == [[0, 4], [4, 0]]


def test_coo_matrix_checks_its_arguments():
    v = numpy.zeros(3, numpy.float32)
    i = numpy.zeros(3, numpy.int32)
    with pytest.raises(ValueError, match='one shape'):
        utils.CooMatrix(v, i[:2], i, (2, 2))
    with pytest.raises(ValueError, match='order'):
        utils.CooMatrix(v, i, i, (2, 2), order='X')
    assert utils.CooMatrix(v, i, i, (2, 2), requires_grad=True).data.requires_grad


@pytest.mark.parametrize('row, col, order', [
    ([0, 0, 1, 2], [0, 2, 1, 0], 'C'), ([0, 2, 1, 0], [0, 0, 1, 2], 'F'),
    ([0, 2, 1], [1, 0, 2], 'other'), ([0, 1, -1], [1, 1, -1], 'C'),
    ([[0, 1], [1, 0]], [[0, 0], [0, 1]], 'F'),
])
def test_get_order(device, row, col, order):
    send = lambda a: device.send(numpy.array(a, numpy.int32))  # noqa: E731
    assert utils.get_order(send(row), send(col)) == order


def test_get_order_rejects_mismatched_or_half_negative_indices():
    with pytest.raises(ValueError, match='one shape'):
        utils.get_order(numpy.zeros(2, 'i'), numpy.zeros(3, 'i'))
    with pytest.raises(ValueError, match='negative'):
        utils.get_order(numpy.array([0, -1]), numpy.array([0, 1]))
