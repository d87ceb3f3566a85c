"""Reporting observed values: Reporter, report, report_scope, Summary and DictSummary.

Reported arrays stay on their device; summaries add them up there and only
convert to Python floats when a mean or statistics are read, so reporting
never forces a host synchronisation per iteration.
"""

from __future__ import annotations

import contextlib
import json
import math
import threading
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import numpy

from polychain.backend.registry import get_device_from_array, to_host
from polychain.configuration import config
from polychain.variable import Variable

_local = threading.local()


def _reporters() -> list[Reporter]:
    stack = getattr(_local, 'reporters', None)
    if stack is None:
        stack = _local.reporters = []
    return stack


class Reporter:
    """Collects observed values into the current observation dictionary.

    Observers (usually links) are registered with a name; values they
    report are stored under ``'<name>/<key>'``.
    """

    def __init__(self) -> None:
        self._observer_names: dict[int, str] = {}
        self.observation: dict[str, Any] = {}

    def __enter__(self) -> Reporter:
        _reporters().append(self)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _reporters().pop()

    @contextlib.contextmanager
    def scope(self, observation: dict[str, Any]) -> Iterator[None]:
        """Makes this reporter current, writing reports into ``observation``."""
        old = self.observation
        self.observation = observation
        with self:
            try:
                yield
            finally:
                self.observation = old

    def add_observer(self, name: str, observer: Any) -> None:
        """Registers ``observer`` under ``name``."""
        self._observer_names[id(observer)] = name

    def add_observers(self, prefix: str, observers: Iterable[tuple[str, Any]]) -> None:
        """Registers ``(name, observer)`` pairs under ``prefix + name``."""
        for name, observer in observers:
            self._observer_names[id(observer)] = prefix + name

    def report(self, values: dict[str, Any], observer: Any = None) -> None:
        """Stores ``values``, prefixed with the observer's name when one is given.

        Variables are stored without their graph unless
        ``config.keep_graph_on_report`` is set.
        """
        if not config.keep_graph_on_report:
            values = {key: _detached(value) for key, value in values.items()}
        if observer is not None:
            name = self._observer_names.get(id(observer))
            if name is None:
                raise KeyError(f'Reporter.report: the observer {type(observer).__name__} is '
                               f'not registered (use add_observer)')
            values = {f'{name}/{key}': value for key, value in values.items()}
        self.observation.update(values)


def _detached(value: Any) -> Any:
    if isinstance(value, Variable):
        return Variable._wrap(value.array, value.device, None, False)
    return value


def get_current_reporter() -> Reporter:
    """The innermost reporter in use in this thread."""
    stack = _reporters()
    if not stack:
        raise RuntimeError('get_current_reporter: no reporter is in use')
    return stack[-1]


def report(values: dict[str, Any], observer: Any = None) -> None:
    """Reports ``values`` to the current reporter; does nothing when none is in use."""
    stack = _reporters()
    if stack:
        stack[-1].report(values, observer)


@contextlib.contextmanager
def report_scope(observation: dict[str, Any]) -> Iterator[None]:
    """Directs the current reporter's reports into ``observation`` for the block."""
    reporter = get_current_reporter()
    old = reporter.observation
    reporter.observation = observation
    try:
        yield
    finally:
        reporter.observation = old


def _plain(value: Any) -> Any:
    """An array or Python number from a reported value (Variables give their array)."""
    return value.array if isinstance(value, Variable) else value


def _to_float(value: Any) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    return float(to_host(value))


class Summary:
    """Running sum, sum of squares and weight of reported values.

    Reported values (numbers, 0-d arrays of any device, Variables) are
    collected as they come and added up on the host, in float64, when a
    result is read or every :attr:`FOLD_EVERY` values: reporting costs no
    device operation and no host synchronisation per iteration, and the
    arrays of one backend are fetched together.
    """

    #: How many reported values wait before they are added up.
    FOLD_EVERY = 1000

    def __init__(self) -> None:
        self._x = 0.0
        self._x2 = 0.0
        self._n = 0.0
        self._pending: list[tuple[Any, Any]] = []

    def add(self, value: Any, weight: Any = 1) -> None:
        """Adds a scalar or 0-d array (or Variable), with ``weight``."""
        self._pending.append((_plain(value), _plain(weight)))
        if len(self._pending) >= self.FOLD_EVERY:
            self._fold()

    def _fold(self) -> None:
        """Adds the pending values and weights to the sums, on the host."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        host = _host_floats([item for pair in pending for item in pair])
        values, weights = host[0::2], host[1::2]
        weighted = weights * values
        self._x += float(weighted.sum())
        self._x2 += float((weighted * values).sum())
        self._n += float(weights.sum())

    def compute_mean(self) -> float:
        """The weighted mean as a Python float (reads the device)."""
        self._fold()
        return self._x / self._n

    def make_statistics(self) -> tuple[float, float]:
        """``(mean, std)`` as Python floats."""
        self._fold()
        n = self._n
        mean = self._x / n
        variance = max(self._x2 / n - mean * mean, 0.0)
        return mean, math.sqrt(variance)

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the running sums (as host floats).

        Loading a file saved without them (by an old version) warns and starts from zero.
        """
        self._fold()
        try:
            self._x = serializer('_x', _to_float(self._x))
            self._x2 = serializer('_x2', _to_float(self._x2))
            self._n = serializer('_n', _to_float(self._n))
        except KeyError:
            if getattr(serializer, 'checking', False):
                return
            warnings.warn('Summary: the statistics were not saved; they start from zero',
                          UserWarning, stacklevel=2)
            self._x = self._x2 = self._n = 0


def _host_floats(items: list[Any]) -> numpy.ndarray:
    """Python numbers and 0-d arrays of any devices as one float64 host array; the arrays
    of each backend are fetched in one call."""
    result = numpy.empty(len(items), dtype=numpy.float64)
    by_backend: dict[Any, list[int]] = {}
    for index, item in enumerate(items):
        if isinstance(item, (int, float)):
            result[index] = item
        else:
            by_backend.setdefault(get_device_from_array(item).backend, []).append(index)
    for backend, indexes in by_backend.items():
        fetched = backend.to_host_many([items[i] for i in indexes])
        for index, value in zip(indexes, fetched):
            result[index] = float(value)
    return result


def _is_summarizable(value: Any) -> bool:
    value = _plain(value)
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return hasattr(value, 'shape') and hasattr(value, 'dtype') and len(value.shape) == 0


class DictSummary:
    """A :class:`Summary` per key of reported dictionaries (non-scalar values are skipped)."""

    def __init__(self) -> None:
        self._summaries: dict[str, Summary] = {}

    def add(self, d: dict[str, Any]) -> None:
        """Adds every scalar entry of ``d``; ``(value, weight)`` pairs carry a weight."""
        for key, value in d.items():
            weight = 1
            if isinstance(value, tuple) and len(value) == 2:
                value, weight = value
                if not _is_summarizable(weight):
                    raise ValueError(f'DictSummary.add: the weight of {key!r} must be a scalar '
                                     f'or a 0-dimensional array, received {weight!r}')
            if _is_summarizable(value):
                self._summaries.setdefault(key, Summary()).add(value, weight)

    def compute_mean(self) -> dict[str, float]:
        """The mean of every key."""
        return {key: s.compute_mean() for key, s in self._summaries.items()}

    def make_statistics(self) -> dict[str, float]:
        """``key`` -> mean and ``key.std`` -> standard deviation."""
        stats = {}
        for key, summary in self._summaries.items():
            mean, std = summary.make_statistics()
            stats[key] = mean
            stats[key + '.std'] = std
        return stats

    def serialize(self, serializer: Any) -> None:
        """Saves or loads every summary.

        The keys are saved as a JSON list and each summary under its position, so
        any key (``'a/b'`` too) round-trips. Loading replaces the summaries with the
        saved ones; a file saved without them (by an old version) warns and clears them.
        """
        from polychain.serializers.converted_entry import json_of, load_converted
        from polychain.serializers.serializer import Deserializer
        if not isinstance(serializer, Deserializer):
            serializer('_names', json.dumps(list(self._summaries)))
            for index, summary in enumerate(self._summaries.values()):
                summary.serialize(serializer['_summaries'][str(index)])
            return
        try:
            # None in the checking pass of an all-or-nothing load, which still reads every
            # entry into summaries of its own
            loading = serializer('_names', None) is not None
        except KeyError:
            if getattr(serializer, 'checking', False):
                return
            warnings.warn('DictSummary: the statistics were not saved; they start empty',
                          UserWarning, stacklevel=2)
            self._summaries = {}
            return
        names = load_converted(serializer, '_names', None,
                               lambda text: json_of(list)('[]' if text is None else text))
        summaries = {str(name): Summary() for name in names}
        for index, summary in enumerate(summaries.values()):
            summary.serialize(serializer['_summaries'][str(index)])
        if loading:
            self._summaries = summaries
