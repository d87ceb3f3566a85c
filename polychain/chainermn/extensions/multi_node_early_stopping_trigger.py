"""``MultiNodeEarlyStoppingTrigger``: early stopping on a value averaged over ranks."""

from __future__ import annotations

from typing import Any

from polychain import backend
from polychain.training.triggers import EarlyStoppingTrigger
from polychain.variable import Variable


class MultiNodeEarlyStoppingTrigger:
    """``EarlyStoppingTrigger`` on the mean over all ranks of the monitored value, so
    that every rank stops at the same iteration (every rank calls it together).

    Args: those of ``EarlyStoppingTrigger``, after ``comm`` (a ChainerMN communicator).
    """

    def __init__(self, comm: Any, check_trigger: Any = (1, 'epoch'),
                 monitor: str = 'main/loss', patience: int = 3, mode: str = 'auto',
                 verbose: bool = False, max_trigger: Any = (100, 'epoch')) -> None:
        self.comm = comm
        self.monitor = monitor
        self.actual_trigger = EarlyStoppingTrigger(
            check_trigger=check_trigger, monitor=monitor, patience=patience, mode=mode,
            verbose=verbose, max_trigger=max_trigger)

    def __call__(self, trainer: Any) -> bool:
        observation = trainer.observation
        present = self.comm.allreduce_obj(int(self.monitor in observation))
        if present != self.comm.size:
            return self.actual_trigger(trainer)
        value = observation[self.monitor]
        if isinstance(value, Variable):
            value = value.array
        if hasattr(value, 'dtype'):
            value = backend.to_host(value)
        mean = self.comm.allreduce_obj(float(value)) / self.comm.size
        trainer.observation = dict(observation, **{self.monitor: mean})
        try:
            return self.actual_trigger(trainer)
        finally:
            trainer.observation = observation
