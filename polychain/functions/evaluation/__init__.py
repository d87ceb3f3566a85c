"""Evaluation functions (forward only): accuracy and friends."""

from polychain.functions.evaluation.accuracy import accuracy
from polychain.functions.evaluation.binary_accuracy import binary_accuracy
from polychain.functions.evaluation.classification_summary import (
    classification_summary,
    f1_score,
    precision,
    recall,
)
from polychain.functions.evaluation.r2_score import r2_score

__all__ = ['accuracy', 'binary_accuracy', 'classification_summary', 'f1_score', 'precision',
           'r2_score', 'recall']
