"""ParameterStatistics: reports statistics of the parameters and gradients of links."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from polychain.backend.registry import get_device_from_array
from polychain.reporter import DictSummary, report
from polychain.training.extension import PRIORITY_WRITER, Extension
from polychain.training.triggers import get_trigger

_PERCENTILES = (0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87)


def _xp(x: Any) -> Any:
    return get_device_from_array(x).namespace


def _percentiles(x: Any) -> Any:
    """The percentiles of ``x`` at :data:`_PERCENTILES`, interpolated linearly like NumPy's."""
    xp = _xp(x)
    ordered = xp.sort(x)
    last = x.shape[0] - 1
    values = []
    for q in _PERCENTILES:
        position = q / 100 * last
        lower = math.floor(position)
        upper = min(lower + 1, last)
        fraction = position - lower
        values.append(ordered[lower] * (1 - fraction) + ordered[upper] * fraction)
    return xp.stack(values)


def _count_zeros(x: Any) -> Any:
    # Counted in float64: exact for any realistic size, and summarised like the other values.
    xp = _xp(x)
    return xp.sum(xp.astype(x == 0, xp.float64))


class ParameterStatistics(Extension):
    """Reports statistics of every parameter (and gradient) of the given links.

    Each statistic is reported under
    ``'{prefix}/{link name}{parameter path}/{data|grad}/{statistic}'``; a
    statistic giving several values (``percentile``) is reported as
    ``.../percentile/0``, ``.../percentile/1`` and so on. Values are computed
    on the parameters' device and summarised until ``trigger`` fires, when
    their means are reported.

    Args:
        links: A link or a list of links.
        statistics: A dict from names to functions of a flat array, ``'default'``
            (mean, std, min, max, zeros, percentile) or ``None`` (none yet; see
            :meth:`register_statistics`).
        report_params: Report statistics of the parameters.
        report_grads: Report statistics of the gradients.
        prefix: Prepended to every key.
        trigger: When the means are reported (default every epoch).
        skip_nan_params: Report NaN for an array holding NaN instead of
            computing its statistics (this reads the array on the host).
    """

    default_name = 'parameter_statistics'
    priority = PRIORITY_WRITER
    report_key_template = '{prefix}{link_name}{param_name}/{attr_name}/{function_name}'

    default_statistics: dict[str, Callable[[Any], Any]] = {
        'mean': lambda x: _xp(x).mean(x),
        'std': lambda x: _xp(x).std(x),
        'min': lambda x: _xp(x).min(x),
        'max': lambda x: _xp(x).max(x),
        'zeros': _count_zeros,
        'percentile': _percentiles,
    }

    def __init__(self, links: Any, statistics: Any = 'default', report_params: bool = True,
                 report_grads: bool = True, prefix: str | None = None,
                 trigger: Any = (1, 'epoch'), skip_nan_params: bool = False) -> None:
        self._links: Sequence[Any] = links if isinstance(links, (list, tuple)) else (links,)
        if isinstance(statistics, str) and statistics == 'default':
            statistics = self.default_statistics
        self._statistics = dict(statistics or {})
        self._attrs = [attr for attr, wanted in (('data', report_params),
                                                  ('grad', report_grads)) if wanted]
        self._prefix = prefix
        self._trigger = get_trigger(trigger)
        self._summary = DictSummary()
        self._skip_nan_params = skip_nan_params

    def register_statistics(self, name: str, function: Callable[[Any], Any]) -> None:
        """Adds a statistic: ``function`` takes a flat array and returns one or more values.

        Args:
            name: The name used in the report keys.
            function: The statistic.
        """
        self._statistics[name] = function

    def __call__(self, trainer: Any) -> None:
        self._summary.add(self._collect())
        if self._trigger(trainer):
            report(self._summary.compute_mean())
            self._summary = DictSummary()

    def _collect(self) -> dict[str, Any]:
        statistics: dict[str, Any] = {}
        prefix = self._prefix + '/' if self._prefix else ''
        for link in self._links:
            link_name = getattr(link, 'name', None)
            for param_name, param in link.namedparams():
                for attr_name in self._attrs:
                    array = getattr(param, attr_name)
                    if array is None:
                        continue
                    flat = _xp(array).reshape(array, (-1,))
                    skip = self._skip_nan_params and _has_nan(flat)
                    for function_name, function in self._statistics.items():
                        key = self.report_key_template.format(
                            prefix=prefix, link_name=link_name, param_name=param_name,
                            attr_name=attr_name, function_name=function_name)
                        value = math.nan if skip else function(flat)
                        if getattr(value, 'ndim', 0) > 0:
                            statistics.update((f'{key}/{i}', value[i])
                                              for i in range(value.shape[0]))
                        else:
                            statistics[key] = value
        return statistics

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the trigger and the running summary."""
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['trigger'])
        self._summary.serialize(serializer['summary'])


def _has_nan(x: Any) -> bool:
    xp = _xp(x)
    return bool(xp.any(xp.isnan(x)))
