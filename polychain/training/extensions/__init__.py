"""Trainer extensions."""

from polychain.training.extensions.evaluator import Evaluator
from polychain.training.extensions.log_report import LogReport
from polychain.training.extensions.print_report import PrintReport
from polychain.training.extensions.progress_bar import ProgressBar

__all__ = ['Evaluator', 'LogReport', 'PrintReport', 'ProgressBar']
