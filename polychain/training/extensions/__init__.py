"""Trainer extensions."""

from polychain.training.extensions import snapshot_writers, variable_statistics_plot
from polychain.training.extensions._snapshot import Snapshot, snapshot, snapshot_object
from polychain.training.extensions.computational_graph import DumpGraph, dump_graph
from polychain.training.extensions.evaluator import Evaluator
from polychain.training.extensions.exponential_shift import ExponentialShift
from polychain.training.extensions.fail_on_nonnumber import FailOnNonNumber
from polychain.training.extensions.inverse_shift import InverseShift
from polychain.training.extensions.linear_shift import LinearShift
from polychain.training.extensions.log_report import LogReport
from polychain.training.extensions.micro_average import MicroAverage
from polychain.training.extensions.multistep_shift import MultistepShift
from polychain.training.extensions.parameter_statistics import ParameterStatistics
from polychain.training.extensions.plot_report import PlotReport
from polychain.training.extensions.polynomial_shift import PolynomialShift
from polychain.training.extensions.print_report import PrintReport
from polychain.training.extensions.progress_bar import ProgressBar
from polychain.training.extensions.step_shift import StepShift
from polychain.training.extensions.value_observation import observe_lr, observe_value
from polychain.training.extensions.variable_statistics_plot import VariableStatisticsPlot
from polychain.training.extensions.variable_unchain import unchain_variables
from polychain.training.extensions.warmup_shift import WarmupShift

__all__ = [
    'DumpGraph', 'Evaluator', 'ExponentialShift', 'FailOnNonNumber', 'InverseShift',
    'LinearShift', 'LogReport', 'MicroAverage', 'MultistepShift', 'ParameterStatistics',
    'PlotReport', 'PolynomialShift', 'PrintReport', 'ProgressBar', 'Snapshot', 'StepShift',
    'VariableStatisticsPlot', 'WarmupShift', 'dump_graph', 'observe_lr', 'observe_value',
    'snapshot', 'snapshot_object', 'snapshot_writers', 'unchain_variables',
    'variable_statistics_plot',
]
