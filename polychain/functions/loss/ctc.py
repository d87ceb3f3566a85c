"""connectionist_temporal_classification: the CTC loss of label sequences and per-frame scores.

The forward-backward recursions run in log space over the label path
``blank, t[0], blank, t[1], ..., blank`` of each sample. The log of a zero
probability is a large negative constant rather than ``-inf`` (as in Chainer),
so an alignment that cannot produce the labels gives a large finite loss and
finite gradients instead of NaN.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy
from array_api_compat import device as native_device

from polychain.backend.registry import get_device_from_array
from polychain.function_node import FunctionNode
from polychain.functions.array.stack import stack
from polychain.functions.loss.input_checks import check_reduce, expect_integer
from polychain.functions.loss.labels import one_hot
from polychain.utils.type_check import InvalidType, expect_float
from polychain.variable import Variable

_FUNCTION = 'connectionist_temporal_classification'


def _log_zero(xp: Any, dtype: Any) -> float:
    """The value standing for ``log(0)``: finite, and far below any log probability."""
    return -1e4 if xp.finfo(dtype).bits == 16 else -1e10


def _logsumexp3(xp: Any, a: Any, b: Any, c: Any) -> Any:
    top = xp.maximum(xp.maximum(a, b), c)
    return top + xp.log(xp.exp(a - top) + xp.exp(b - top) + xp.exp(c - top))


def _logsumexp(xp: Any, a: Any, axis: int) -> Any:
    top = xp.max(a, axis=axis, keepdims=True)
    return xp.squeeze(top + xp.log(xp.sum(xp.exp(a - top), axis=axis, keepdims=True)),
                      axis=axis)


def _later(xp: Any, states: Any, k: int, fill: Any) -> Any:
    """``states[:, s - k]`` at each path position ``s`` (``fill`` before the start)."""
    pad = xp.full((states.shape[0], k), fill, dtype=states.dtype, device=native_device(states))
    return xp.concat([pad, states], axis=1)[:, :states.shape[1]]


def _earlier(xp: Any, states: Any, k: int, fill: Any) -> Any:
    """``states[:, s + k]`` at each path position ``s`` (``fill`` past the end)."""
    pad = xp.full((states.shape[0], k), fill, dtype=states.dtype, device=native_device(states))
    return xp.concat([states, pad], axis=1)[:, k:]


def _label_path(xp: Any, t: Any, blank_symbol: int) -> Any:
    """``(B, 2 L + 1)``: the labels of ``t`` ``(B, L)`` with a blank before, between and after."""
    n_batch, n_labels = t.shape
    blanks = xp.full((n_batch, n_labels), blank_symbol, dtype=t.dtype, device=native_device(t))
    interleaved = xp.reshape(xp.stack([blanks, t], axis=2), (n_batch, 2 * n_labels))
    last = xp.full((n_batch, 1), blank_symbol, dtype=t.dtype, device=native_device(t))
    return xp.concat([interleaved, last], axis=1)


class _Lattice:
    """The label paths of a batch and the transitions allowed between their positions.

    A path position ``s`` is reached from ``s`` (staying), ``s - 1`` and, unless
    ``path[s] == path[s - 2]`` (a blank, or a label repeated with only a blank
    between), from ``s - 2``. Positions past ``2 * label_length`` are outside
    the path of their sample.
    """

    def __init__(self, xp: Any, path: Any, label_length: Any, log_zero: float) -> None:
        self.xp = xp
        self.path = path
        self.log_zero = log_zero
        n_batch, n_states = path.shape
        positions = xp.arange(n_states, device=native_device(path))
        self.last = 2 * xp.reshape(label_length, (n_batch, 1))
        self.positions = xp.reshape(positions, (1, n_states))
        self.inside = self.positions <= self.last
        edge = xp.zeros((n_batch, min(2, n_states)), dtype=xp.bool, device=native_device(path))
        # With no labels the path is a single blank, and there is nothing to skip.
        distinct = path[:, 2:] != path[:, :-2] if n_states > 2 else edge[:, :0]
        self.skip_forward = xp.concat([edge, distinct], axis=1)
        self.skip_backward = xp.concat([distinct, edge], axis=1)

    def start(self, dtype: Any, at_end: bool) -> Any:
        """The log state before the first frame (``at_end=False``) or after the last one."""
        xp = self.xp
        chosen = self.positions == (self.last if at_end else 0)
        return xp.where(chosen, 0.0, xp.full(chosen.shape, self.log_zero, dtype=dtype,
                                             device=native_device(self.path)))

    def step(self, states: Any, forward: bool) -> Any:
        """Log probabilities of reaching each position from ``states`` in one frame."""
        xp = self.xp
        shift: Callable[..., Any] = _later if forward else _earlier
        skip = self.skip_forward if forward else self.skip_backward
        zero = self.log_zero
        skipped = xp.where(skip, shift(xp, states, 2, zero), zero)
        reached = _logsumexp3(xp, states, shift(xp, states, 1, zero), skipped)
        return xp.where(self.inside, reached, zero)


class ConnectionistTemporalClassification(FunctionNode):
    """The CTC loss of the scores ``xs`` ``(T, B, V)`` and the labels ``t`` ``(B, L)``.

    The other inputs are ``input_length`` and ``label_length``, both ``(B,)``.
    """

    _retain_input_indexes = (0,)

    def __init__(self, blank_symbol: int, reduce: str) -> None:
        self.blank_symbol = blank_symbol
        self.reduce = reduce

    def check_type_forward(self, in_types):
        xp = self.xp
        x, t, input_length, label_length = in_types
        expect_float(xp, x, 'x')
        expect_integer(xp, t, 't')
        expect_integer(xp, input_length, 'input_length')
        expect_integer(xp, label_length, 'label_length')
        if x.ndim != 3:
            raise InvalidType('each x[i] has the shape (B, V)',
                              f'stacked x has the shape {x.shape}')
        if t.ndim != 2 or t.shape[0] != x.shape[1]:
            raise InvalidType('t.shape == (B, L) with B == x[i].shape[0]',
                              f't.shape == {t.shape}, x[i].shape == {x.shape[1:]}')
        for info, name in ((input_length, 'input_length'), (label_length, 'label_length')):
            if info.shape != x.shape[1:2]:
                raise InvalidType(f'{name}.shape == (B,) with B == x[i].shape[0]',
                                  f'{name}.shape == {info.shape}, x[i].shape == {x.shape[1:]}')
        if self.blank_symbol >= x.shape[2]:
            raise InvalidType('blank_symbol < x[i].shape[1] (the number of labels V)',
                              f'blank_symbol == {self.blank_symbol}, x[i].shape == '
                              f'{x.shape[1:]}')

    def forward(self, inputs):
        xp = self.xp
        xs, t, input_length, label_length = inputs
        log_zero = _log_zero(xp, xs.dtype)
        shifted = xs - xp.max(xs, axis=2, keepdims=True)
        log_y = shifted - xp.log(xp.sum(xp.exp(shifted), axis=2, keepdims=True))
        log_y = xp.maximum(log_y, log_zero)
        path = _label_path(xp, t, self.blank_symbol)
        lattice = _Lattice(xp, path, label_length, log_zero)
        emissions = xp.take_along_axis(
            log_y, xp.broadcast_to(xp.expand_dims(path, axis=0), (xs.shape[0],) + path.shape),
            axis=2)
        joint = xp.stack(self._alphas(lattice, emissions), axis=0) + \
            xp.stack(self._betas(lattice, emissions, input_length), axis=0)
        total = _logsumexp(xp, joint[0, ...], axis=1)
        self.log_posteriors = joint - xp.reshape(total, (1, -1, 1))
        self.path = path
        self.inside = lattice.inside
        self.input_length = input_length
        self.log_zero = log_zero
        loss = -total
        return (xp.mean(loss) if self.reduce == 'mean' else loss),

    @staticmethod
    def _alphas(lattice: _Lattice, emissions: Any) -> list[Any]:
        """Per frame, the log probability of the paths up to it ending at each position."""
        states = lattice.start(emissions.dtype, at_end=False)
        alphas = []
        for frame in range(emissions.shape[0]):
            states = lattice.step(states, forward=True) + emissions[frame, ...]
            alphas.append(states)
        return alphas

    @staticmethod
    def _betas(lattice: _Lattice, emissions: Any, input_length: Any) -> list[Any]:
        """Per frame, the log probability of the paths after it, from each position.

        A sample's recursion starts anew after its last frame ``input_length - 1``;
        the values of later frames are not used.
        """
        xp = lattice.xp
        end = lattice.start(emissions.dtype, at_end=True)
        after_last = xp.reshape(input_length, (-1, 1))
        betas: list[Any] = [None] * emissions.shape[0]
        states = end
        for frame in range(emissions.shape[0] - 1, -1, -1):
            states = xp.where(after_last <= frame + 1, end, states)
            beta = lattice.step(states, forward=False)
            betas[frame] = beta
            states = xp.where(lattice.inside, beta + emissions[frame, ...], lattice.log_zero)
        return betas

    def backward(self, indexes, grad_outputs):
        xs, = self.get_retained_inputs()
        gx, = ConnectionistTemporalClassificationGrad(self).apply((xs, grad_outputs[0]))
        return gx, None, None, None


class ConnectionistTemporalClassificationGrad(FunctionNode):
    """``(softmax(xs) - label posteriors) * gloss``: the gradient of the CTC loss in ``xs``.

    Frames past a sample's ``input_length`` get no gradient. Its own gradient
    is not implemented (CTC has no second-order gradients).
    """

    def __init__(self, loss: ConnectionistTemporalClassification) -> None:
        self.log_posteriors = loss.log_posteriors
        self.path = loss.path
        self.inside = loss.inside
        self.input_length = loss.input_length
        self.reduce = loss.reduce
        self.log_zero = loss.log_zero

    def forward(self, inputs):
        xp = self.xp
        xs, gloss = inputs
        n_time, n_batch, n_vocab = xs.shape
        shifted = xp.exp(xs - xp.max(xs, axis=2, keepdims=True))
        probabilities = shifted / xp.sum(shifted, axis=2, keepdims=True)
        frames = xp.reshape(xp.arange(n_time, device=native_device(xs)), (n_time, 1))
        in_input = xp.expand_dims(frames < xp.reshape(self.input_length, (1, n_batch)), axis=2)
        # The recursions' values past a sample's last frame are meaningless: they must not
        # overflow into the posteriors.
        kept = in_input & xp.expand_dims(self.inside, axis=0)
        posteriors = xp.exp(xp.where(kept, self.log_posteriors, self.log_zero))
        by_label = xp.astype(one_hot(xp, self.path, n_vocab), xs.dtype)
        # (B, V, S) @ (B, S, T) sums the posteriors of the positions of each label.
        label_posteriors = xp.permute_dims(
            xp.matmul(by_label, xp.permute_dims(posteriors, (1, 2, 0))), (2, 0, 1))
        scale = gloss / float(n_batch) if self.reduce == 'mean' else \
            xp.reshape(gloss, (1, n_batch, 1))
        return xp.where(in_input, (probabilities - label_posteriors) * scale, 0.0),

    def backward(self, indexes, grad_outputs):
        raise NotImplementedError(f'{_FUNCTION}: second-order gradients are not supported')


def _lengths(given: Any, default: int, n_batch: int, device: Any) -> Any:
    if given is not None:
        return given
    return device.send(numpy.full((n_batch,), default, dtype=numpy.int32))


def connectionist_temporal_classification(
        x: Sequence[Any], t: Any, blank_symbol: int, input_length: Any = None,
        label_length: Any = None, reduce: str = 'mean') -> Variable:
    """Connectionist Temporal Classification loss.

    The loss of each sample is ``-log p(t | x)``, the probability summed over
    every alignment of its frames to its labels: a frame emits a label or the
    blank, repeated labels are merged and blanks removed (so two equal labels
    in a row need a blank between them). The softmax is applied to ``x``
    inside the function; pass unnormalised scores. Labels that no alignment of
    ``input_length`` frames can produce give a large finite loss (about
    ``1e10``, ``1e4`` in float16) rather than infinity. Only ``x`` is
    differentiable, once.

    Args:
        x: A list or tuple of ``T`` variables or arrays of shape ``(B, V)``: the
            unnormalised log probabilities of the ``V`` labels at each time step.
        t: Integer labels, shape ``(B, L)``, each in ``[0, V)``.
        blank_symbol: Index of the blank label, in ``[0, V)``.
        input_length: Number of valid time steps of each sample, integer
            ``(B,)``; ``None`` for all ``T``.
        label_length: Number of valid labels of each sample, integer ``(B,)``;
            ``None`` for all ``L``.
        reduce: ``'mean'`` for the mean loss over the batch, ``'no'`` for the
            loss of each sample, shape ``(B,)``.

    Returns:
        The loss: a scalar variable, or one of shape ``(B,)`` with ``reduce='no'``.
    """
    if not isinstance(x, (list, tuple)):
        raise TypeError(f'{_FUNCTION}: expected x as a list or tuple of variables, received '
                        f'{type(x).__name__}')
    if not x:
        raise ValueError(f'{_FUNCTION}: expected at least one time step in x, received none')
    if isinstance(blank_symbol, bool) or not isinstance(blank_symbol, int):
        raise TypeError(f'{_FUNCTION}: expected blank_symbol as an int, received '
                        f'{type(blank_symbol).__name__}')
    if blank_symbol < 0:
        raise ValueError(f'{_FUNCTION}: expected a non-negative blank_symbol, received '
                         f'{blank_symbol}')
    check_reduce(_FUNCTION, reduce)
    first = x[0]
    device = first.device if isinstance(first, Variable) else get_device_from_array(first)
    n_batch = first.shape[0] if first.ndim else 0
    input_length = _lengths(input_length, len(x), n_batch, device)
    label_length = _lengths(label_length, t.shape[1] if t.ndim == 2 else 0, n_batch, device)
    node = ConnectionistTemporalClassification(blank_symbol, reduce)
    return node.apply((stack(x), t, input_length, label_length))[0]
