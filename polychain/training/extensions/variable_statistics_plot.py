"""VariableStatisticsPlot: how the values and gradients of variables are spread, over time."""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from typing import Any

import numpy

from polychain.backend.registry import to_host
from polychain.link import Link
from polychain.serializers.atomic_file import atomic_path
from polychain.training.extension import Extension
from polychain.training.extensions.plot_report import _import_figure
from polychain.training.triggers import get_trigger
from polychain.variable import Variable

_DEFAULT_PERCENTILES = (0., 0.13, 2.28, 15.87, 50., 84.13, 97.72, 99.87, 100.)


class Reservoir:
    """A uniform random sample of at most ``size`` of the items added (reservoir sampling).

    Args:
        size: The number of items kept.
        data_shape: The shape of each item.
        dtype: The dtype the items are kept in.
    """

    def __init__(self, size: int, data_shape: Sequence[int], dtype: Any = numpy.float32) -> None:
        self.size = size
        self.data = numpy.zeros((size,) + tuple(data_shape), dtype=dtype)
        self.idxs = numpy.zeros((size,), dtype=numpy.int32)
        self.counter = 0

    def add(self, x: Any, idx: int | None = None) -> None:
        """Offers ``x`` (tagged ``idx``, default its position in the sequence) to the sample."""
        if self.counter < self.size:
            slot: int | None = self.counter
        else:
            slot = random.randint(0, self.counter)
            slot = slot if slot < self.size else None
        if slot is not None:
            self.data[slot] = x
            self.idxs[slot] = self.counter if idx is None else idx
        self.counter += 1

    def get_data(self) -> tuple[numpy.ndarray, numpy.ndarray]:
        """``(idxs, data)`` of the kept items, ordered by ``idxs``."""
        kept = min(self.counter, self.size)
        order = numpy.argsort(self.idxs[:kept])
        return self.idxs[:kept][order], self.data[:kept][order]


class Statistician:
    """Computes the mean, the standard deviation and percentiles of arrays.

    Args:
        collect_mean: Compute ``'mean'``.
        collect_std: Compute ``'std'``.
        percentile_sigmas: The percentiles (0 to 100) computed as ``'percentile'``.
    """

    def __init__(self, collect_mean: bool, collect_std: bool,
                 percentile_sigmas: Sequence[float]) -> None:
        self.collect_mean = collect_mean
        self.collect_std = collect_std
        self.percentile_sigmas = percentile_sigmas

    def __call__(self, x: Any, axis: Any = 0, dtype: Any = None,
                 xp: Any = None) -> dict[str, numpy.ndarray]:
        """The statistics of ``x`` (an array of any device) along ``axis``, in ``dtype``."""
        x = numpy.asarray(to_host(x))
        dtype = x.dtype if dtype is None else dtype
        stats = {}
        if self.collect_mean:
            stats['mean'] = numpy.asarray(x.mean(axis=axis), dtype=dtype)
        if self.collect_std:
            stats['std'] = numpy.asarray(x.std(axis=axis), dtype=dtype)
        if self.percentile_sigmas:
            stats['percentile'] = numpy.asarray(
                numpy.percentile(x, self.percentile_sigmas, axis=axis), dtype=dtype)
        return stats


class VariableStatisticsPlot(Extension):
    """Plots, against the iteration, statistics of the values and gradients of variables.

    At every call the values (and gradients) of all ``targets`` are pooled and
    summarised; a reservoir keeps at most ``max_sample_size`` of these
    summaries, which are drawn when the trigger fires: percentile bands,
    and the mean with one standard deviation, one panel for data and one for
    gradients.

    Args:
        targets: A :class:`~polychain.Variable` or :class:`~polychain.Link`
            (its parameters), or a list of them.
        max_sample_size: The number of summaries kept for the plot.
        report_data: Plot the values.
        report_grad: Plot the gradients.
        plot_mean: Draw the mean.
        plot_std: Draw the mean plus and minus one standard deviation.
        percentile_sigmas: The percentiles drawn as bands.
        trigger: When the image is written (default every epoch).
        filename: The image file (``file_name`` is accepted as an alias;
            default ``'statistics.png'``).
        figsize: The figure size in inches (default: 6 by 4 per panel).
        marker: The matplotlib marker of the mean and std lines.
        grid: Draw a grid.

    Raises:
        RuntimeError: matplotlib is not installed.
    """

    def __init__(self, targets: Any, max_sample_size: int = 1000, report_data: bool = True,
                 report_grad: bool = True, plot_mean: bool = True, plot_std: bool = True,
                 percentile_sigmas: Sequence[float] = _DEFAULT_PERCENTILES,
                 trigger: Any = (1, 'epoch'), filename: str | None = None,
                 figsize: tuple[float, float] | None = None, marker: str | None = None,
                 grid: bool = True, **kwargs: Any) -> None:
        file_name = kwargs.pop('file_name', 'statistics.png')
        if kwargs:
            raise TypeError(f'VariableStatisticsPlot: unexpected arguments {sorted(kwargs)}')
        self._figure_class = _import_figure()
        targets = targets if isinstance(targets, (list, tuple)) else [targets]
        self._variables = [v for t in targets
                           for v in (t.params() if isinstance(t, Link) else [t])]
        if not all(isinstance(v, Variable) for v in self._variables):
            raise TypeError('VariableStatisticsPlot: expected Variables or Links as targets')
        self._keys = [key for key, wanted in (('data', report_data), ('grad', report_grad))
                      if wanted]
        self._statistician = Statistician(plot_mean, plot_std, percentile_sigmas)
        n_stats = int(plot_mean) + int(plot_std) + len(percentile_sigmas)
        self._reservoirs = {key: Reservoir(max_sample_size, (n_stats,)) for key in self._keys}
        self._trigger = get_trigger(trigger)
        self._filename = filename if filename is not None else file_name
        self._figsize = figsize
        self._marker = marker
        self._grid = grid

    def __call__(self, trainer: Any) -> None:
        iteration = trainer.updater.iteration
        for key in self._keys:
            arrays = [getattr(v, 'array' if key == 'data' else 'grad') for v in self._variables]
            arrays = [numpy.asarray(to_host(a)).ravel() for a in arrays if a is not None]
            if arrays:
                stats = self._statistician(numpy.concatenate(arrays), axis=0,
                                           dtype=numpy.float32)
                row = [stats[name].reshape(-1) for name in ('mean', 'std', 'percentile')
                       if name in stats]
                self._reservoirs[key].add(numpy.concatenate(row), iteration)
        if self._trigger(trainer):
            self._draw(os.path.join(trainer.out, self._filename))

    def _draw(self, path: str) -> None:
        statistician = self._statistician
        figsize = self._figsize or (6, 4 * len(self._keys))
        figure = self._figure_class(figsize=figsize)
        for row, key in enumerate(self._keys, start=1):
            axes = figure.add_subplot(len(self._keys), 1, row)
            axes.set_title(key)
            axes.set_xlabel('iteration')
            if self._grid:
                axes.grid()
            idxs, data = self._reservoirs[key].get_data()
            if len(idxs) == 0:
                continue
            column = 0
            mean = None
            if statistician.collect_mean:
                mean = data[:, column]
                axes.plot(idxs, mean, marker=self._marker, label='mean')
                column += 1
            if statistician.collect_std:
                std = data[:, column]
                center = mean if mean is not None else numpy.zeros_like(std)
                axes.plot(idxs, center + std, marker=self._marker, label='+std')
                axes.plot(idxs, center - std, marker=self._marker, label='-std')
                column += 1
            percentiles = data[:, column:]
            n = percentiles.shape[1]
            for i in range(n // 2):
                axes.fill_between(idxs, percentiles[:, i], percentiles[:, n - 1 - i],
                                  alpha=0.8 / (n // 2 + 1), color='tab:blue', linewidth=0)
            if n % 2:
                axes.plot(idxs, percentiles[:, n // 2], color='tab:blue', label='median')
            axes.legend(loc='best')
        image_format = os.path.splitext(self._filename)[1][1:] or 'png'
        os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
        with atomic_path(path) as temporary:
            figure.savefig(temporary, format=image_format, bbox_inches='tight')
