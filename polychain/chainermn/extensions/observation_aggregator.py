"""``ObservationAggregator``: a reported value aggregated over ranks and iterations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

from polychain import backend
from polychain.training import extension
from polychain.training.util import get_trigger
from polychain.variable import Variable


def _average(histories: list[numpy.ndarray]) -> numpy.ndarray:
    """The mean of the values of every rank and iteration."""
    return numpy.mean(numpy.concatenate(histories))


class ObservationAggregator(extension.Extension):
    """Collects ``original_key`` of the observation at each call and, when
    ``comm_trigger`` fires, reports under ``aggregated_key`` the aggregate (by
    default the mean) of the values every rank collected since the last time.

    Args:
        comm: A ChainerMN communicator.
        original_key: The observation key read.
        aggregated_key: The key written (default: ``original_key``).
        comm_trigger: When to communicate and report.
        aggregator: Takes the host arrays of collected values, one per rank, and
            returns the aggregate.
    """

    trigger = 1, 'iteration'
    priority = extension.PRIORITY_EDITOR
    name = None

    def __init__(self, comm: Any, original_key: str, aggregated_key: str | None = None, *,
                 comm_trigger: Any = (1, 'iteration'),
                 aggregator: Callable[[list[numpy.ndarray]], Any] | None = None) -> None:
        self.comm = comm
        self.original_key = original_key
        self.aggregated_key = original_key if aggregated_key is None else aggregated_key
        self.comm_trigger = get_trigger(comm_trigger)
        self.aggregator = aggregator or _average
        self.observation_history: list[Any] = []

    def __call__(self, trainer: Any) -> None:
        observation = trainer.observation
        if self.original_key not in observation:
            return
        value = observation[self.original_key]
        self.observation_history.append(value)
        if not self.comm_trigger(trainer):
            return
        is_variable = isinstance(value, Variable)
        array = value.array if is_variable else value
        local = numpy.asarray([backend.to_host(v.array if isinstance(v, Variable) else v)
                               for v in self.observation_history])
        self.observation_history = []
        aggregated = numpy.asarray(self.aggregator(self.comm.allgather(local)))
        if hasattr(array, 'dtype'):
            aggregated = backend.get_device_from_array(array).send(
                aggregated.astype(backend.to_host(array).dtype))
        observation[self.aggregated_key] = Variable(aggregated) if is_variable else aggregated
