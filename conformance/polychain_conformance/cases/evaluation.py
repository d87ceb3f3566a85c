"""Cases of the evaluation functions: forward only, as they have no gradient."""

from __future__ import annotations

import numpy

from polychain_conformance.spec import ArrayConstant, Case, Input

_SCORES = Input((6, 3), differentiable=False)
# Fixed scores whose predictions (0, 0, 2, 2, 1, 1) give every class a true positive, so that
# no precision or recall is 0 / 0; they are float64, so these cases run in float64 only.
_FIXED_SCORES = ArrayConstant([[0.9, 0.7, 0.2], [0.9, 0.0, 0.1], [-1.0, 0.5, 2.0],
                               [0.0, 0.1, 0.3], [0.2, 0.6, -0.4], [0.3, 0.4, 0.2]], 'float64')
_LABELS = ArrayConstant([0, 1, 2, 2, 1, 0])
_SOME_IGNORED = ArrayConstant([0, -1, 2, 2, 1, -1])


def _accuracy(y, t, ignore_label=None):
    correct = y.argmax(axis=1) == t
    if ignore_label is None:
        return correct.mean()
    counted = t != ignore_label
    return (correct & counted).sum() / max(counted.sum(), 1)


def _binary_accuracy(y, t):
    counted = t != -1
    return (((y >= 0) == t) & counted).sum() / max(counted.sum(), 1)


def _classification_summary(y, t, label_num=None, beta=1.0, ignore_label=-1):
    label_num = t.max() + 1 if label_num is None else label_num
    counted = t != ignore_label
    predicted = y.argmax(axis=1)
    classes = numpy.arange(label_num)[:, None]
    support = ((t == classes) & counted).sum(axis=1)
    relevant = ((predicted == classes) & counted).sum(axis=1)
    true_positive = ((t == classes) & (predicted == t) & counted).sum(axis=1)
    with numpy.errstate(invalid='ignore', divide='ignore'):
        precision = true_positive / relevant
        recall = true_positive / support
        fbeta = (1 + beta ** 2) * precision * recall / (beta ** 2 * precision + recall)
    return precision, recall, fbeta, support


def _part(index):
    def reference(y, t, label_num=None, ignore_label=-1):
        summary = _classification_summary(y, t, label_num, 1.0, ignore_label)
        return summary[index], summary[3]
    return reference


def _r2_score(pred, true, multioutput='uniform_average'):
    residual = ((pred - true) ** 2).sum(axis=0)
    total = ((true - true.mean(axis=0)) ** 2).sum(axis=0)
    score = numpy.where(total == 0, 0.0, 1 - residual / numpy.where(total == 0, 1, total))
    return score.mean() if multioutput == 'uniform_average' else score


_FIXED = {'forward_only': True, 'dtypes': ('float64',),
          'output_dtypes': (None, None, None, 'int64')}
_FIXED_PART = {**_FIXED, 'output_dtypes': (None, 'int64')}

CASES: tuple[Case, ...] = (
    Case('accuracy', (_SCORES, _LABELS), _accuracy, forward_only=True, strided=True),
    Case('accuracy', (_SCORES, _SOME_IGNORED), _accuracy, name='accuracy_ignore_label',
         kwargs={'ignore_label': -1}, forward_only=True),
    Case('accuracy', (Input((2, 3, 4), differentiable=False),
                      ArrayConstant([[0, 1, 2, 0], [2, 2, 1, 0]])),
         lambda y, t: (y.argmax(axis=1) == t).mean(), name='accuracy_spatial',
         forward_only=True),
    Case('binary_accuracy', (Input((4, 3), gap=0.1, differentiable=False),
                             ArrayConstant([[0, 1, -1], [1, 1, 0], [0, -1, 1], [1, 0, 0]])),
         _binary_accuracy, forward_only=True),
    Case('classification_summary', (_FIXED_SCORES, _SOME_IGNORED), _classification_summary,
         kwargs={'label_num': 3}, **_FIXED),
    Case('classification_summary', (_FIXED_SCORES, _LABELS), _classification_summary,
         name='classification_summary_inferred_label_num', kwargs={'beta': 2.0}, **_FIXED),
    Case('precision', (_FIXED_SCORES, _LABELS), _part(0), **_FIXED_PART),
    Case('recall', (_FIXED_SCORES, _LABELS), _part(1), **_FIXED_PART),
    Case('f1_score', (_FIXED_SCORES, _LABELS), _part(2), **_FIXED_PART),
    Case('r2_score', (Input((5, 3), differentiable=False), Input((5, 3), differentiable=False)),
         _r2_score, forward_only=True, strided=True),
    Case('r2_score', (Input((5, 3), differentiable=False), Input((5, 3), differentiable=False)),
         _r2_score, name='r2_score_raw_values', kwargs={'multioutput': 'raw_values'},
         forward_only=True),
)
