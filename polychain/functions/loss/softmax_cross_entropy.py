"""softmax_cross_entropy: cross entropy of integer labels and the softmax of scores."""

from __future__ import annotations

from typing import Any

from array_api_compat import device as native_device

from polychain.function_node import FunctionNode
from polychain.functions.activation.softmax import softmax
from polychain.functions.array._index_range import check_index_range
from polychain.functions.array.reshape import reshape
from polychain.functions.loss.input_checks import check_reduce, expect_labels
from polychain.functions.loss.labels import one_hot
from polychain.functions.loss.soft_target import SOFT_TARGET_LOSSES
from polychain.functions.loss.soft_target import soft_target_loss as soft_target
from polychain.functions.math.sum import sum as sum_
from polychain.utils.dtypes import has_float_dtype
from polychain.utils.type_check import InvalidType, expect_float
from polychain.variable import Variable


class SoftmaxCrossEntropy(FunctionNode):
    """``-log(softmax(x)[t])`` per sample, weighted, masked and reduced.

    Inputs are the scores ``x`` ``(N, C, ...)``, the labels ``t`` ``(N, ...)``
    and optionally the class weights ``(C,)``.
    """

    _retain_input_indexes = (0,)

    def __init__(self, normalize: bool, cache_score: bool, ignore_label: int,
                 reduce: str) -> None:
        self.normalize = normalize
        self.cache_score = cache_score
        self.ignore_label = ignore_label
        self.reduce = reduce
        self.y: Any = None

    def check_type_forward(self, in_types):
        expect_labels(self.xp, in_types[0], in_types[1])
        if len(in_types) == 3:
            weight = in_types[2]
            expect_float(self.xp, weight, 'class_weight')
            if weight.shape != in_types[0].shape[1:2]:
                raise InvalidType('class_weight.shape == (x.shape[1],)',
                                  f'class_weight.shape == {weight.shape}, x.shape == '
                                  f'{in_types[0].shape}')

    def forward(self, inputs):
        xp = self.xp
        x, t = inputs[:2]
        shifted = x - xp.max(x, axis=1, keepdims=True)
        exp_shifted = xp.exp(shifted)
        total = xp.sum(exp_shifted, axis=1, keepdims=True)
        log_p = shifted - xp.log(total)
        if self.cache_score:
            self.y = exp_shifted / total
        valid = t != self.ignore_label
        check_index_range(xp, t, x.shape[1], 'softmax_cross_entropy', 'labels', valid)
        # The labels as a mask over the classes; an ignored label selects none.
        is_label = one_hot(xp, t, x.shape[1])
        if 0 <= self.ignore_label < x.shape[1]:
            is_label = is_label & valid[:, None, ...]
        self.is_label = is_label
        zero = xp.zeros((), dtype=x.dtype, device=native_device(x))
        picked = xp.where(is_label, log_p, zero)  # log p of each label, 0 elsewhere
        counted = xp.astype(valid, x.dtype)  # 1 for each sample that counts, 0 if ignored
        weight = counted
        if len(inputs) == 3:
            weight = weight * _weights_of_labels(xp, inputs[2], t, valid)
        if self.reduce == 'no' or len(inputs) == 3:
            loss = xp.sum(picked, axis=1) * weight  # the loss of each sample
        else:
            loss = picked  # summed whole below: ignored samples are 0 already
        if self.reduce == 'no':
            self.weight = weight
            return -loss,
        if x.dtype == getattr(xp, 'float16', None):
            # Sums of many float16 values overflow: count and add in float32.
            loss, counted, weight = (xp.astype(a, xp.float32) for a in (loss, counted, weight))
        count = xp.maximum(xp.sum(counted), 1.0) if self.normalize else float(max(x.shape[0], 1))
        self.weight = xp.astype(weight / count, x.dtype, copy=False)
        return xp.astype(-(xp.sum(loss) / count), x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gx, = SoftmaxCrossEntropyGrad(self).apply((x, grad_outputs[0]))
        return (gx,) + (None,) * (len(self.inputs) - 1)


class SoftmaxCrossEntropyGrad(FunctionNode):
    """``(softmax(x) - onehot(t)) * weight * gloss``: the gradient of the loss in ``x``.

    Its forward uses the scores cached by the loss where they were kept; its
    backward recomputes them as a Variable, so gradients of any order exist.
    """

    _retain_input_indexes = (0, 1)

    def __init__(self, loss: SoftmaxCrossEntropy) -> None:
        self.y = loss.y
        self.is_label = loss.is_label
        self.weight = loss.weight

    def forward(self, inputs):
        xp = self.xp
        x, gloss = inputs
        score = self.y
        if score is None:
            shifted = x - xp.max(x, axis=1, keepdims=True)
            e = xp.exp(shifted)
            score = e / xp.sum(e, axis=1, keepdims=True)
        scale = (self.weight * gloss)[:, None, ...]
        return (score - xp.astype(self.is_label, x.dtype)) * scale,

    def backward(self, indexes, grad_outputs):
        x, gloss = self.get_retained_inputs()
        ggx, = grad_outputs
        xp = self.xp
        weight = self.weight[:, None, ...]
        score = softmax(x, axis=1)
        grads: list[Variable | None] = []
        if 0 in indexes:
            scale = (reshape(gloss, weight.shape) if gloss.ndim else gloss) * weight
            g = ggx * scale
            grads.append(score * g - score * sum_(score * g, axis=1, keepdims=True))
        else:
            grads.append(None)
        if 1 in indexes:
            labels = xp.astype(self.is_label, x.dtype)
            along_classes = sum_(ggx * (score - labels) * weight, axis=1)
            grads.append(sum_(along_classes) if gloss.ndim == 0 else along_classes)
        else:
            grads.append(None)
        return tuple(grads)


def _check_class_weight(class_weight: Any) -> None:
    if isinstance(class_weight, Variable):
        raise ValueError('softmax_cross_entropy: expected class_weight as an array or None, '
                         'received a Variable')
    if getattr(class_weight, 'ndim', None) != 1:
        raise ValueError(f'softmax_cross_entropy: expected a 1-dimensional class_weight, '
                         f'received shape {getattr(class_weight, "shape", None)}')
    if not has_float_dtype(class_weight):
        raise ValueError(f'softmax_cross_entropy: expected a floating class_weight, received '
                         f'dtype {class_weight.dtype}')


def _weights_of_labels(xp: Any, class_weight: Any, t: Any, valid: Any) -> Any:
    """``class_weight[t]``, of the shape of ``t``; an ignored label gets class 0's weight,
    which the caller masks."""
    labels = xp.where(valid, t, xp.zeros_like(t))
    return xp.reshape(xp.take(class_weight, xp.reshape(labels, (-1,))), tuple(t.shape))


def softmax_cross_entropy(x: Any, t: Any, normalize: bool = True, cache_score: bool = True,
                          class_weight: Any = None, ignore_label: int = -1,
                          reduce: str = 'mean', enable_double_backprop: bool = False,
                          soft_target_loss: str = 'cross-entropy') -> Variable:
    """Cross entropy loss of pre-softmax scores and integer labels (or soft targets).

    The softmax is taken along axis 1; an input of more than two dimensions is
    a replicated softmax (``x`` ``(N, C, d1, ...)`` with ``t`` ``(N, d1, ...)``).
    It is computed as ``-log_softmax(x)[t]``, which stays finite for scores of
    any magnitude.

    A floating ``t`` of ``x``'s shape holds target probabilities (soft
    targets); the loss is then ``soft_target_loss`` between ``t`` and
    ``softmax(x)``, and ``normalize``, ``cache_score``, ``class_weight`` and
    ``ignore_label`` do not apply.

    Args:
        x: Unnormalised log probabilities, shape ``(N, C, ...)``, floating dtype.
        t: Integer labels, shape ``(N, ...)``; entries equal to ``ignore_label``
            contribute no loss and no gradient. Or soft targets (see above).
        normalize: With ``reduce='mean'``, divide by the number of labels that
            are not ignored (``True``) or by the batch size ``N`` (``False``).
        cache_score: Keep the softmax computed in forward for backward (faster,
            more memory). Ignored when ``enable_double_backprop`` is ``True``.
        class_weight: Constant weights ``(C,)`` multiplied to the loss of each
            sample by its label's class, or ``None``.
        ignore_label: The label value that is ignored.
        reduce: ``'mean'`` for the scalar mean loss, ``'no'`` for the loss of
            each sample, shape ``t.shape`` (ignored samples give 0).
        enable_double_backprop: Keep no cached score, as a function meant to be
            differentiated twice does. Gradients of every order are available
            either way.
        soft_target_loss: With soft targets, ``'cross-entropy'``
            (``-sum_c t_c log softmax(x)_c``) or ``'kl-divergence'`` (that minus
            the entropy of ``t``).

    Returns:
        The loss: a scalar variable, or one of shape ``t.shape`` with ``reduce='no'``.
    """
    check_reduce('softmax_cross_entropy', reduce)
    if soft_target_loss not in SOFT_TARGET_LOSSES:
        raise ValueError(f'softmax_cross_entropy: expected soft_target_loss in '
                         f'{SOFT_TARGET_LOSSES}, received {soft_target_loss!r}')
    if class_weight is not None:
        _check_class_weight(class_weight)
    if has_float_dtype(t):
        return soft_target(x, t, reduce, soft_target_loss)
    inputs = (x, t) if class_weight is None else (x, t, class_weight)
    node = SoftmaxCrossEntropy(normalize, cache_score and not enable_double_backprop,
                               ignore_label, reduce)
    return node.apply(inputs)[0]
