"""softmax_cross_entropy: Chainer's semantics, stability and input errors."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType


def _send(device, values, dtype='float32'):
    return device.send(numpy.asarray(values, dtype=dtype))


def test_large_logits_give_finite_loss_and_gradient(device, dtype):
    x = polychain.Variable(_send(device, [[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]], dtype))
    t = _send(device, [1, 1], 'int32')
    loss = F.softmax_cross_entropy(x, t)
    loss.backward()
    # Sample 0 puts its label 2000 below the best score; sample 1 is right.
    numpy.testing.assert_allclose(to_host(loss.array), 1000.0, rtol=1e-6)
    numpy.testing.assert_allclose(to_host(x.grad), [[0.5, -0.5, 0.0], [0.0, 0.0, 0.0]],
                                  atol=1e-6)


def test_ignored_labels_give_no_loss_and_no_gradient(device):
    x = polychain.Variable(_send(device, [[1.0, 2.0], [3.0, -1.0]]))
    t = _send(device, [-1, -1], 'int32')
    loss = F.softmax_cross_entropy(x, t)
    loss.backward()
    assert float(to_host(loss.array)) == 0.0
    numpy.testing.assert_array_equal(to_host(x.grad), numpy.zeros((2, 2)))


def test_labels_outside_the_classes_are_rejected_in_debug_mode(device):
    x = _send(device, [[1.0, 2.0], [3.0, -1.0]])
    t = _send(device, [1, 2], 'int32')
    with polychain.using_config('debug', True):
        with pytest.raises(ValueError, match=r'labels in \[0, 2\).*received \[2\]'):
            F.softmax_cross_entropy(x, t)
        ignored = _send(device, [1, -1], 'int32')
        assert float(to_host(F.softmax_cross_entropy(x, ignored).array)) > 0


def test_normalize_divides_by_counted_labels_or_batch_size(device):
    x = _send(device, [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]])
    t = _send(device, [0, 1, -1, -1], 'int32')
    normalized = float(to_host(F.softmax_cross_entropy(x, t).array))
    per_batch = float(to_host(F.softmax_cross_entropy(x, t, normalize=False).array))
    assert normalized == pytest.approx(numpy.log(2.0))
    assert per_batch == pytest.approx(numpy.log(2.0) / 2)


def test_cached_and_recomputed_scores_give_the_same_gradients(device, rng):
    values = rng.normal(size=(5, 4)).astype('float32')
    t = _send(device, [0, 3, 1, -1, 2], 'int32')
    grads = []
    for options in ({'cache_score': True}, {'cache_score': False},
                    {'enable_double_backprop': True}):
        x = polychain.Variable(device.send(values.copy()))
        F.softmax_cross_entropy(x, t, **options).backward()
        grads.append(to_host(x.grad))
    numpy.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)
    numpy.testing.assert_allclose(grads[0], grads[2], rtol=1e-6)


def test_float_labels_are_rejected(device):
    x = _send(device, [[1.0, 2.0]])
    with pytest.raises(InvalidType, match=r'SoftmaxCrossEntropy[\s\S]*t\.dtype'):
        F.softmax_cross_entropy(x, _send(device, [0.0]))


@pytest.mark.parametrize('labels', [[0, 1, 0], [[0], [1]]])
def test_labels_of_the_wrong_shape_are_rejected(device, labels):
    x = _send(device, [[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(InvalidType, match=r't\.shape == x\.shape\[:1\]'):
        F.softmax_cross_entropy(x, _send(device, labels, 'int32'))


def test_class_weight_must_match_the_classes(device):
    x = _send(device, [[1.0, 2.0]])
    with pytest.raises(InvalidType, match='class_weight.shape'):
        F.softmax_cross_entropy(x, _send(device, [0], 'int32'),
                                class_weight=_send(device, [1.0, 2.0, 3.0]))


def test_class_weight_as_variable_is_rejected(device):
    x = _send(device, [[1.0, 2.0]])
    with pytest.raises(TypeError, match='class_weight'):
        F.softmax_cross_entropy(x, _send(device, [0], 'int32'),
                                class_weight=polychain.Variable(_send(device, [1.0, 2.0])))


def test_unknown_reduce_is_rejected(device):
    with pytest.raises(ValueError, match="softmax_cross_entropy: expected reduce 'mean' or 'no'"):
        F.softmax_cross_entropy(_send(device, [[1.0, 2.0]]), _send(device, [0], 'int32'),
                                reduce='sum')
