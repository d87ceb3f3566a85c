"""Out-of-range labels and ids raise on every device, in and out of debug mode."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F


def _x(device, shape=(2, 3)):
    return device.send(numpy.arange(numpy.prod(shape), dtype='f').reshape(shape) / 10)


def _ids(device, values):
    return device.send(numpy.array(values, dtype='i'))


@pytest.fixture(params=[False, True], ids=['plain', 'debug'])
def debug(request):
    with polychain.using_config('debug', request.param):
        yield request.param


@pytest.mark.parametrize('labels', [[0, 3], [0, -2], [7, 1]])
def test_softmax_cross_entropy_refuses_labels_out_of_range(device, debug, labels):
    with pytest.raises(ValueError, match='labels'):
        F.softmax_cross_entropy(_x(device), _ids(device, labels))


@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_softmax_cross_entropy_accepts_ignored_labels_out_of_range(device, reduce):
    loss = F.softmax_cross_entropy(_x(device), _ids(device, [255, 2]), ignore_label=255,
                                   reduce=reduce)
    assert numpy.isfinite(polychain.backend.to_host(loss.array)).all()
    loss = F.softmax_cross_entropy(_x(device), _ids(device, [-1, 2]), reduce=reduce)
    assert numpy.isfinite(polychain.backend.to_host(loss.array)).all()


@pytest.mark.parametrize('labels', [[[0, 1, 2], [0, 1, -1]], [[0, -2, 1], [1, 1, 1]]])
def test_sigmoid_cross_entropy_refuses_labels_other_than_0_1_or_ignored(device, labels):
    with pytest.raises(ValueError, match='labels'):
        F.sigmoid_cross_entropy(_x(device), _ids(device, labels))


def test_sigmoid_cross_entropy_accepts_0_1_and_ignored(device):
    loss = F.sigmoid_cross_entropy(_x(device), _ids(device, [[0, 1, -1], [1, 1, 0]]))
    assert numpy.isfinite(polychain.backend.to_host(loss.array))


@pytest.mark.parametrize('ids', [[0, 4], [0, -1], [-5, 2]])
def test_embed_id_refuses_ids_out_of_range(device, debug, ids):
    w = _x(device, (4, 3))
    with pytest.raises(IndexError):
        F.embed_id(_ids(device, ids), w)
    with pytest.raises(ValueError):  # Chainer's debug-mode error
        F.embed_id(_ids(device, ids), w)


def test_embed_id_link_refuses_ids_out_of_range(device):
    embed = polychain.links.EmbedID(4, 3).to_device(device)
    with pytest.raises(IndexError):
        embed(_ids(device, [1, 4]))


def test_embed_id_ignore_label_outside_the_vocabulary(device):
    y = F.embed_id(_ids(device, [-1, 2]), _x(device, (4, 3)), ignore_label=-1)
    assert (polychain.backend.to_host(y.array)[0] == 0).all()


@pytest.mark.parametrize('t', [[0, 3], [0, -1]])
def test_select_item_refuses_indexes_out_of_range(device, debug, t):
    with pytest.raises(IndexError):
        F.select_item(_x(device), _ids(device, t))


@pytest.mark.parametrize('index', [[0, 2], [-3, 0]])
def test_get_item_refuses_integer_arrays_out_of_range(device, index):
    with pytest.raises(IndexError):
        F.get_item(_x(device), _ids(device, index))
    with pytest.raises(IndexError):
        F.get_item(_x(device), (slice(None), _ids(device, [0, 3])))


def test_get_item_takes_negative_integer_arrays_in_range(device):
    y = F.get_item(_x(device), _ids(device, [-1, -2]))
    numpy.testing.assert_array_equal(polychain.backend.to_host(y.array),
                                     numpy.arange(6, dtype='f').reshape(2, 3)[[-1, -2]] / 10)


@pytest.mark.parametrize('labels', [[0, 3], [-1, 0]])
def test_hinge_refuses_labels_out_of_range(device, labels):
    with pytest.raises(IndexError):
        F.hinge(_x(device), _ids(device, labels))
