"""Evaluation functions: Chainer's examples, ignored labels, no gradient, input errors."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType

_SCORES = [[0.1, 0.7, 0.2], [8.0, 1.0, 2.0], [-8.0, 1.0, 2.0], [-8.0, -1.0, -2.0]]


def _send(device, values, dtype='float32'):
    return device.send(numpy.asarray(values, dtype=dtype))


def _value(variable):
    return to_host(variable.array)


def test_accuracy_follows_chainers_example(device):
    y = _send(device, _SCORES)
    assert float(_value(F.accuracy(y, _send(device, [1, 0, 2, 1], 'int32')))) == 1.0
    t = _send(device, [1, 0, 0, 0], 'int32')
    assert float(_value(F.accuracy(y, t))) == 0.5
    assert float(_value(F.accuracy(y, t, ignore_label=0))) == 1.0


def test_accuracy_with_every_label_ignored_is_zero(device):
    result = F.accuracy(_send(device, _SCORES), _send(device, [-1] * 4, 'int32'),
                        ignore_label=-1)
    assert float(_value(result)) == 0.0


def test_accuracy_has_the_scores_dtype_and_no_graph(device, dtype):
    y = polychain.Variable(_send(device, _SCORES, dtype))
    result = F.accuracy(y, _send(device, [1, 0, 2, 1], 'int32'))
    assert _value(result).dtype == dtype
    assert result.creator_node is None


def test_accuracy_rejects_float_labels_and_wrong_shapes(device):
    y = _send(device, _SCORES)
    with pytest.raises(InvalidType, match=r't\.dtype is an integer dtype'):
        F.accuracy(y, _send(device, [1, 0, 2, 1]))
    with pytest.raises(InvalidType, match=r'y\.shape == \(4, 3\), t\.shape == \(3,\)'):
        F.accuracy(y, _send(device, [1, 0, 2], 'int32'))


def test_binary_accuracy_leaves_out_minus_one(device):
    y = _send(device, [[1.0, -1.0], [0.0, -2.0]])
    t = _send(device, [[1, 1], [1, -1]], 'int32')
    assert float(_value(F.binary_accuracy(y, t))) == pytest.approx(2 / 3)


def test_classification_summary_counts_per_class(device):
    y = _send(device, _SCORES)
    t = _send(device, [1, 0, 0, 0], 'int32')
    precision, recall, fbeta, support = F.classification_summary(y, t)
    numpy.testing.assert_allclose(_value(precision), [1.0, 0.5])
    numpy.testing.assert_allclose(_value(recall), [1 / 3, 1.0])
    numpy.testing.assert_allclose(_value(fbeta), [0.5, 2 / 3])
    numpy.testing.assert_array_equal(_value(support), [3, 1])
    assert _value(support).dtype == numpy.int32


def test_a_class_never_predicted_has_nan_precision(device):
    y = _send(device, [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    precision, support = F.precision(y, _send(device, [0, 2], 'int32'))
    assert numpy.isnan(_value(precision)[2])
    numpy.testing.assert_array_equal(_value(support), [1, 0, 1])


def test_r2_score_of_constant_targets_is_zero(device):
    true = _send(device, [[1.0, 0.0], [1.0, 1.0]])
    pred = _send(device, [[1.0, 0.0], [1.0, 1.0]])
    numpy.testing.assert_allclose(_value(F.r2_score(pred, true, multioutput='raw_values')),
                                  [0.0, 1.0])


def test_r2_score_rejects_unsupported_options(device):
    x = _send(device, [[1.0]])
    with pytest.raises(NotImplementedError, match='sample_weight'):
        F.r2_score(x, x, sample_weight=x)
    with pytest.raises(ValueError, match='multioutput'):
        F.r2_score(x, x, multioutput='variance_weighted')
