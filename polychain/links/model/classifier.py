"""Classifier: wraps a predictor with a loss and an accuracy that it reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.link import Chain
from polychain.reporter import report
from polychain.variable import Variable


def _default_lossfun(*args: Any, **kwargs: Any) -> Variable:
    from polychain.functions import softmax_cross_entropy
    return softmax_cross_entropy(*args, **kwargs)


def _default_accfun(*args: Any, **kwargs: Any) -> Variable:
    from polychain.functions import accuracy
    return accuracy(*args, **kwargs)


class Classifier(Chain):
    """Computes the loss (and accuracy) of a predictor on a labelled batch and reports them.

    Args:
        predictor: The link that maps inputs to scores.
        lossfun: Loss of ``(y, t)`` (default ``F.softmax_cross_entropy``).
        accfun: Accuracy of ``(y, t)`` (default ``F.accuracy``).
        label_key: Which positional (int) or keyword (str) argument is the label.

    Attributes:
        compute_accuracy: Whether ``forward`` computes and reports the accuracy.
        y, loss, accuracy: The last prediction, loss and accuracy.
    """

    compute_accuracy = True

    def __init__(self, predictor: Any, lossfun: Callable[..., Any] = _default_lossfun,
                 accfun: Callable[..., Any] = _default_accfun,
                 label_key: int | str = -1) -> None:
        if not isinstance(label_key, (int, str)):
            raise TypeError(f'Classifier: label_key must be int or str, received '
                            f'{type(label_key).__name__}')
        super().__init__()
        self.lossfun = lossfun
        self.accfun = accfun
        self.label_key = label_key
        self.y = self.loss = self.accuracy = None
        with self.init_scope():
            self.predictor = predictor

    def forward(self, *args: Any, **kwargs: Any) -> Variable:
        """Predicts from the inputs, returns the loss, and reports ``loss`` (and ``accuracy``)."""
        if isinstance(self.label_key, int):
            if not -len(args) <= self.label_key < len(args):
                raise ValueError(f'Classifier: Label key {self.label_key} is out of range for '
                                 f'{len(args)} positional arguments')
            t = args[self.label_key]
            index = self.label_key % len(args)
            args = args[:index] + args[index + 1:]
        else:
            if self.label_key not in kwargs:
                raise ValueError(f'Classifier: Label key {self.label_key!r} is not among the '
                                 f'keyword arguments {sorted(kwargs)}')
            kwargs = dict(kwargs)
            t = kwargs.pop(self.label_key)
        self.y = self.accuracy = None
        self.y = self.predictor(*args, **kwargs)
        self.loss = self.lossfun(self.y, t)
        report({'loss': self.loss}, self)
        if self.compute_accuracy:
            self.accuracy = self.accfun(self.y, t)
            report({'accuracy': self.accuracy}, self)
        return self.loss
