"""connectionist_temporal_classification: every alignment summed, lengths, blanks, errors."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import gradient_check
from polychain.backend import to_host
from polychain.utils.type_check import InvalidType
from polychain_conformance.cases.loss_ctc import brute_force_ctc

ctc = F.connectionist_temporal_classification

#: (name, n_time, n_vocab, labels, blank_symbol, input_length, label_length)
SETTINGS = [
    ('full_lengths', 4, 3, [[1, 2], [2, 2]], 0, None, None),
    ('blank_last', 3, 3, [[0, 1], [1, 0]], 2, None, None),
    ('blank_in_the_middle', 4, 3, [[0, 2], [2, 2]], 1, None, None),
    ('input_length', 4, 3, [[1, 2], [1, 1]], 0, [2, 4], None),
    ('label_length', 4, 3, [[2, 1], [1, 1]], 0, None, [1, 0]),
    ('both_lengths', 4, 2, [[1, 1], [1, 1]], 0, [3, 1], [2, 1]),
    ('no_labels', 3, 3, numpy.zeros((2, 0), dtype='int32'), 0, None, None),
]


def _send(device, values, dtype='float32'):
    return device.send(numpy.asarray(values, dtype=dtype))


def _frames(rng, n_time, n_vocab, n_batch=2, scale=1.0):
    return [rng.normal(scale=scale, size=(n_batch, n_vocab)) for _ in range(n_time)]


def _call(device, frames, labels, blank_symbol, input_length=None, label_length=None,
          reduce='mean', dtype='float32'):
    lengths = {name: None if value is None else _send(device, value, 'int32')
               for name, value in (('input_length', input_length),
                                   ('label_length', label_length))}
    return ctc([_send(device, frame, dtype) for frame in frames],
               _send(device, labels, 'int32'), blank_symbol, reduce=reduce, **lengths)


@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('setting', SETTINGS, ids=[s[0] for s in SETTINGS])
def test_matches_the_sum_over_all_alignments(device, dtype, rng, setting, reduce):
    _, n_time, n_vocab, labels, blank, input_length, label_length = setting
    frames = _frames(rng, n_time, n_vocab)
    loss = _call(device, frames, labels, blank, input_length, label_length, reduce, dtype)
    expected = brute_force_ctc(frames, numpy.asarray(labels), blank, input_length, label_length,
                               reduce)
    assert to_host(loss.array).dtype == dtype
    assert loss.shape == (() if reduce == 'mean' else (2,))
    numpy.testing.assert_allclose(to_host(loss.array), expected, rtol=1e-5)


@pytest.mark.parametrize('reduce', ['mean', 'no'])
@pytest.mark.parametrize('setting', SETTINGS, ids=[s[0] for s in SETTINGS])
def test_gradients_match_numerical_ones(device, dtype, tolerance, rng, setting, reduce):
    _, n_time, n_vocab, labels, blank, input_length, label_length = setting
    frames = [device.send(frame.astype(dtype)) for frame in _frames(rng, n_time, n_vocab)]
    lengths = {name: None if value is None else _send(device, value, 'int32')
               for name, value in (('input_length', input_length),
                                   ('label_length', label_length))}
    t = _send(device, labels, 'int32')
    grad_shape = () if reduce == 'mean' else (2,)
    y_grad = device.send(rng.normal(size=grad_shape).astype(dtype))
    atol, rtol = tolerance
    gradient_check.check_backward(
        lambda *xs: ctc(list(xs), t, blank, reduce=reduce, **lengths), tuple(frames), y_grad,
        atol=atol, rtol=rtol, seed=0)


def test_repeated_label_needs_a_blank_between(device, dtype):
    # With three frames the only alignment of [1, 1] is (1, blank, 1).
    frames = [numpy.log([[0.2, 0.5, 0.3]]), numpy.log([[0.6, 0.1, 0.3]]),
              numpy.log([[0.1, 0.7, 0.2]])]
    loss = _call(device, frames, [[1, 1]], 0, dtype=dtype)
    numpy.testing.assert_allclose(to_host(loss.array), -numpy.log(0.5 * 0.6 * 0.7), rtol=1e-6)
    # Two different labels need no blank: (1, 2), (1, 2, blank) ... are all counted.
    loss = _call(device, frames, [[1, 2]], 0, dtype=dtype)
    expected = brute_force_ctc(frames, numpy.asarray([[1, 2]]), 0)
    numpy.testing.assert_allclose(to_host(loss.array), expected, rtol=1e-6)


def test_impossible_labels_give_a_large_finite_loss_and_finite_gradients(device, dtype):
    # Two frames cannot emit [1, 1], which needs a blank between the ones; the
    # second sample is possible and keeps its exact loss and gradient.
    frames = [numpy.zeros((2, 3)), numpy.zeros((2, 3))]
    xs = [polychain.Variable(_send(device, frame, dtype)) for frame in frames]
    loss = ctc(xs, _send(device, [[1, 1], [1, 2]], 'int32'), 0, reduce='no')
    loss.grad = _send(device, [1.0, 1.0], dtype)
    loss.backward()
    values = to_host(loss.array)
    assert values[0] == pytest.approx(1e10, rel=1e-6)
    assert values[1] == pytest.approx(2 * numpy.log(3.0), rel=1e-6)
    for x in xs:
        assert numpy.isfinite(to_host(x.grad)).all()
    numpy.testing.assert_allclose(to_host(xs[0].grad)[1], [1 / 3, -2 / 3, 1 / 3], rtol=1e-5)


def test_frames_past_input_length_change_nothing_and_get_no_gradient(device, rng):
    frames = _frames(rng, 4, 3)
    altered = frames[:2] + [numpy.full((2, 3), 1e4), -frames[3]]
    losses, grads = [], []
    for values in (frames, altered):
        xs = [polychain.Variable(_send(device, frame)) for frame in values]
        loss = ctc(xs, _send(device, [[1], [2]], 'int32'), 0,
                   input_length=_send(device, [2, 2], 'int32'))
        loss.backward()
        losses.append(to_host(loss.array))
        grads.append([to_host(x.grad) for x in xs])
    numpy.testing.assert_allclose(losses[0], losses[1], rtol=1e-6)
    for grad in grads[1][2:]:
        numpy.testing.assert_array_equal(grad, numpy.zeros((2, 3)))


def test_labels_past_label_length_are_ignored(device, rng):
    frames = _frames(rng, 4, 3)
    short = _call(device, frames, [[1], [2]], 0)
    padded = _call(device, frames, [[1, 2], [2, 1]], 0, label_length=[1, 1])
    numpy.testing.assert_allclose(to_host(padded.array), to_host(short.array), rtol=1e-6)


def test_mean_is_the_mean_of_the_samples(device, rng):
    frames = _frames(rng, 4, 3, n_batch=3)
    labels = [[1, 2], [2, 2], [1, 1]]
    per_sample = to_host(_call(device, frames, labels, 0, reduce='no').array)
    mean = to_host(_call(device, frames, labels, 0).array)
    assert mean == pytest.approx(per_sample.mean(), rel=1e-6)


def test_large_scores_stay_finite(device):
    # Softmax probabilities of 0 in float32; the loss is still the exact log-space value.
    frames = [numpy.array([[0.0, 200.0, -200.0]]), numpy.array([[200.0, 0.0, -200.0]])]
    xs = [polychain.Variable(_send(device, frame)) for frame in frames]
    loss = ctc(xs, _send(device, [[2]], 'int32'), 0)
    loss.backward()
    # The best alignment (2, blank) has log probability -400 (the others -600 and -800).
    assert float(to_host(loss.array)) == pytest.approx(400.0, rel=1e-6)
    for x in xs:
        assert numpy.isfinite(to_host(x.grad)).all()


def test_tuple_of_variables_and_variable_labels_are_accepted(device, rng):
    frames = _frames(rng, 3, 3)
    expected = brute_force_ctc(frames, numpy.asarray([[1], [2]]), 0)
    loss = ctc(tuple(polychain.Variable(_send(device, f)) for f in frames),
               polychain.Variable(_send(device, [[1], [2]], 'int32')), 0)
    assert float(to_host(loss.array)) == pytest.approx(float(expected), rel=1e-5)


def test_second_order_gradients_are_refused(device, rng):
    x = polychain.Variable(_send(device, _frames(rng, 1, 3)[0]))
    loss = ctc([x, x], _send(device, [[1], [2]], 'int32'), 0)
    gx, = polychain.grad([loss], [x], enable_double_backprop=True)
    with pytest.raises(NotImplementedError, match='connectionist_temporal_classification: '
                                                  'second-order gradients'):
        F.sum(gx * gx).backward()


def _valid_call(device, **overrides):
    arguments = {'x': [_send(device, numpy.zeros((2, 3)))] * 3,
                 't': _send(device, [[1], [2]], 'int32'), 'blank_symbol': 0}
    arguments.update(overrides)
    return ctc(**arguments)


@pytest.mark.parametrize('overrides, error, message', [
    ({'x': 'frames'}, TypeError, r'expected x as a list or tuple of variables, received str'),
    ({'x': []}, ValueError, r'expected at least one time step in x'),
    ({'blank_symbol': 0.0}, TypeError, r'expected blank_symbol as an int, received float'),
    ({'blank_symbol': -1}, ValueError, r'expected a non-negative blank_symbol, received -1'),
    ({'blank_symbol': 3}, InvalidType, r'blank_symbol < x\[i\]\.shape\[1\]'),
    ({'reduce': 'sum'}, ValueError, r"expected reduce 'mean' or 'no', received 'sum'"),
])
def test_bad_arguments_are_rejected(device, overrides, error, message):
    with pytest.raises(error, match=message):
        _valid_call(device, **overrides)


@pytest.mark.parametrize('make, message', [
    (lambda d: {'t': _send(d, [[1.0], [2.0]])}, r't\.dtype is an integer dtype'),
    (lambda d: {'t': _send(d, [[1], [2], [1]], 'int32')}, r't\.shape == \(B, L\)'),
    (lambda d: {'t': _send(d, [1, 2], 'int32')}, r't\.shape == \(B, L\)'),
    (lambda d: {'x': [_send(d, numpy.zeros((2, 3)), 'int32')] * 3}, r'x\.dtype\.kind == "f"'),
    (lambda d: {'x': [_send(d, numpy.zeros((2, 3, 1)))] * 3}, r'each x\[i\] has the shape'),
    (lambda d: {'input_length': _send(d, [3, 3, 3], 'int32')},
     r'input_length\.shape == \(B,\)'),
    (lambda d: {'label_length': _send(d, [1.0, 1.0])}, r'label_length\.dtype is an integer'),
])
def test_bad_shapes_and_dtypes_are_rejected(device, make, message):
    with pytest.raises(InvalidType, match=message):
        _valid_call(device, **make(device))
