"""PlotReport: plots observed values against the epoch or iteration into an image file."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

from polychain.reporter import DictSummary
from polychain.serializer import Serializer
from polychain.serializers.atomic_file import atomic_path
from polychain.serializers.converted_entry import json_of, load_converted
from polychain.training.extension import Extension
from polychain.training.triggers import get_trigger


def _import_figure() -> Any:
    """matplotlib's ``Figure`` (drawn by the Agg canvas; pyplot and its global state unused)."""
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise RuntimeError("PlotReport: needs matplotlib, which is not installed; install it "
                           "with `pip install 'polychain[plot]'` (or `pip install matplotlib`)"
                           ) from error
    return Figure


class PlotReport(Extension):
    """Plots the means of ``y_keys`` at every ``trigger`` into ``trainer.out/filename``.

    Args:
        y_keys: The observation key or keys to plot.
        x_key: ``'epoch'`` or ``'iteration'``, the horizontal axis.
        trigger: When a point is added and the file rewritten (default every epoch).
        postprocess: Called as ``postprocess(figure, axes, summary)`` before saving.
        filename: The image file name (``file_name`` is accepted as an alias);
            its extension chooses the format (default ``'plot.png'``).
        marker: The matplotlib marker of the points.
        grid: Draw a grid.

    Raises:
        RuntimeError: matplotlib is not installed.
    """

    def __init__(self, y_keys: str | Iterable[str], x_key: str = 'epoch',
                 trigger: Any = (1, 'epoch'),
                 postprocess: Callable[[Any, Any, Any], None] | None = None,
                 filename: str | None = None, marker: str = 'x', grid: bool = True,
                 **kwargs: Any) -> None:
        file_name = kwargs.pop('file_name', 'plot.png')
        if kwargs:
            raise TypeError(f'PlotReport: unexpected arguments {sorted(kwargs)}')
        if x_key not in ('epoch', 'iteration'):
            raise ValueError(f"PlotReport: expected x_key 'epoch' or 'iteration', received "
                             f'{x_key!r}')
        self._figure_class = _import_figure()
        self._y_keys = [y_keys] if isinstance(y_keys, str) else list(y_keys)
        self._x_key = x_key
        self._trigger = get_trigger(trigger)
        self._postprocess = postprocess
        self._filename = filename if filename is not None else file_name
        self._marker = marker
        self._grid = grid
        self._summary = DictSummary()
        self._data: dict[str, list[list[float]]] = {key: [] for key in self._y_keys}

    @staticmethod
    def available() -> bool:
        """Whether matplotlib can be imported."""
        try:
            _import_figure()
        except RuntimeError:
            return False
        return True

    def __call__(self, trainer: Any) -> None:
        observation = trainer.observation
        self._summary.add({k: observation[k] for k in self._y_keys if k in observation})
        if not self._trigger(trainer):
            return
        means = self._summary.compute_mean()
        updater = trainer.updater
        x = updater.epoch if self._x_key == 'epoch' else updater.iteration
        for key in self._y_keys:
            if key in means:
                self._data[key].append([x, means[key]])
        self._draw(os.path.join(trainer.out, self._filename))
        self._summary = DictSummary()

    def _draw(self, path: str) -> None:
        figure = self._figure_class()
        axes = figure.add_subplot(111)
        axes.set_xlabel(self._x_key)
        if self._grid:
            axes.grid()
        for key in self._y_keys:
            points = self._data[key]
            if points:
                xs, ys = zip(*points)
                axes.plot(xs, ys, marker=self._marker, label=key)
        if not axes.has_data():
            return
        if self._postprocess is not None:
            self._postprocess(figure, axes, self._summary)
        legend = axes.legend(bbox_to_anchor=(1.05, 1), loc=2, borderaxespad=0.)
        image_format = os.path.splitext(self._filename)[1][1:] or 'png'
        with atomic_path(path) as temporary:
            figure.savefig(temporary, format=image_format, bbox_extra_artists=(legend,),
                           bbox_inches='tight')

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the trigger, the running summary and the plotted points."""
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['_trigger'])
        self._summary.serialize(serializer['_summary'])
        key = f'_plot_{self._filename}'
        if isinstance(serializer, Serializer):
            serializer(key, json.dumps(self._data))
        else:
            self._data = load_converted(serializer, key, json.dumps(self._data),
                                        json_of(dict))
