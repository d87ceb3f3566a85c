"""softmax_cross_entropy: Chainer's semantics, stability and input errors."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
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


def test_soft_targets_of_another_shape_are_rejected(device):
    # A floating t holds target probabilities, of x's shape.
    x = _send(device, [[1.0, 2.0]])
    with pytest.raises(InvalidType, match=r't\.shape == x\.shape'):
        F.softmax_cross_entropy(x, _send(device, [0.0]))


@pytest.mark.parametrize('soft_target_loss', ['cross-entropy', 'kl-divergence'])
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_soft_targets_follow_chainer(soft_target_loss, reduce, device, rng):
    x_host = rng.uniform(-1, 1, (3, 4, 2))
    t_host = rng.uniform(0, 1, (3, 4, 2))
    t_host[0, 0, 0] = 0.0  # 0 log 0 counts as 0
    t_host /= t_host.sum(axis=1, keepdims=True)
    log_y = x_host - numpy.log(numpy.exp(x_host).sum(axis=1, keepdims=True))
    entropy = -numpy.where(t_host > 0, t_host * numpy.log(numpy.where(t_host > 0, t_host, 1)), 0)
    expected = -(t_host * log_y).sum(axis=1)
    if soft_target_loss == 'kl-divergence':
        expected -= entropy.sum(axis=1)
    if reduce == 'mean':
        expected = expected.mean()
    x, t = device.send(x_host), device.send(t_host)
    loss = F.softmax_cross_entropy(x, t, reduce=reduce, soft_target_loss=soft_target_loss)
    numpy.testing.assert_allclose(to_host(loss.array), expected, rtol=1e-10, atol=1e-12)
    gy = device.send(rng.uniform(-1, 1, loss.shape))
    gradient_check.check_backward(
        lambda x_, t_: F.softmax_cross_entropy(x_, t_, reduce=reduce,
                                               soft_target_loss=soft_target_loss),
        (x, t), gy, no_grads=(False, True), dtype=numpy.float64, atol=1e-7, rtol=1e-6)


def test_one_hot_soft_targets_give_the_loss_of_the_labels(device, rng):
    x = device.send(rng.uniform(-1, 1, (5, 3)))
    labels = numpy.array([0, 2, 1, 1, 0])
    one_hot = numpy.eye(3)[labels]
    numpy.testing.assert_allclose(
        to_host(F.softmax_cross_entropy(x, device.send(one_hot), reduce='no').array),
        to_host(F.softmax_cross_entropy(x, device.send(labels.astype('int32')),
                                        reduce='no').array), rtol=1e-12)


def test_unknown_soft_target_loss_is_rejected(device):
    with pytest.raises(ValueError, match='soft_target_loss'):
        F.softmax_cross_entropy(_send(device, [[1.0]]), _send(device, [0], 'int32'),
                                soft_target_loss='l2')


def test_the_cached_softmax_is_kept_as_y(device):
    x, t = polychain.Variable(_send(device, [[1.0, 2.0]])), _send(device, [0], 'int32')
    cached = F.softmax_cross_entropy(x, t).creator.y
    numpy.testing.assert_allclose(to_host(cached), [[0.268941, 0.731059]], rtol=1e-5)
    assert F.softmax_cross_entropy(x, t, cache_score=False).creator.y is None


@pytest.mark.parametrize('normalize', [True, False])
def test_float16_loss_of_a_large_batch_does_not_overflow(device, normalize):
    # 300000 float16 losses (and as many counted labels) overflow a float16 sum.
    if str(device) == '@strict':
        pytest.skip('array_api_strict has no float16')
    x = polychain.Variable(device.send(numpy.zeros((300000, 2), 'float16')))
    loss = F.softmax_cross_entropy(x, device.send(numpy.zeros(300000, 'int32')),
                                   normalize=normalize)
    assert to_host(loss.array).dtype == numpy.float16
    numpy.testing.assert_allclose(to_host(loss.array).astype('d'), numpy.log(2), rtol=1e-3)
    loss.backward()
    numpy.testing.assert_allclose(to_host(x.grad).astype('d')[:2],
                                  [[-0.5 / 300000, 0.5 / 300000]] * 2, rtol=1e-2)


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


@pytest.mark.parametrize('class_weight', [
    lambda device: polychain.Variable(_send(device, [1.0, 2.0])),
    lambda device: _send(device, [1, 2], 'int32'),
    lambda device: _send(device, [[1.0, 2.0]]),
], ids=['variable', 'integer', 'two_dimensional'])
def test_class_weight_of_the_wrong_kind_is_rejected(device, class_weight):
    # Chainer raises ValueError for these, before looking at x and t.
    with pytest.raises(ValueError, match='class_weight'):
        F.softmax_cross_entropy(_send(device, [[0, 1]], 'int32'), _send(device, [0], 'int32'),
                                class_weight=class_weight(device))


def test_unknown_reduce_is_rejected(device):
    with pytest.raises(ValueError, match="softmax_cross_entropy: expected reduce 'mean' or 'no'"):
        F.softmax_cross_entropy(_send(device, [[1.0, 2.0]]), _send(device, [0], 'int32'),
                                reduce='sum')
