"""LogReport: averages the observations over an interval and writes them to a JSON log."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

from polychain.reporter import DictSummary
from polychain.serializers.atomic_file import atomic_path
from polychain.serializers.converted_entry import json_of, load_converted
from polychain.training.extension import PRIORITY_EDITOR, Extension
from polychain.training.triggers import get_trigger


class LogReport(Extension):
    """Appends the mean of the observed values to ``log`` every ``trigger`` interval.

    Args:
        keys: Keys to include (``None``: all scalars observed).
        trigger: When an entry is made (default every epoch).
        postprocess: Called with each entry before it is stored.
        filename: Log file name in the trainer's ``out`` (``None``: do not write).
    """

    trigger = 1, 'iteration'
    priority = PRIORITY_EDITOR

    def __init__(self, keys: Iterable[str] | None = None, trigger: Any = (1, 'epoch'),
                 postprocess: Callable[[dict[str, Any]], None] | None = None,
                 filename: str | None = 'log', **kwargs: Any) -> None:
        self._keys = None if keys is None else list(keys)
        self._trigger = get_trigger(trigger)
        self._postprocess = postprocess
        self._filename = kwargs.pop('log_name', filename)
        if kwargs:
            raise TypeError(f'LogReport: unexpected arguments {sorted(kwargs)}')
        self._log: list[dict[str, Any]] = []
        self._summary = DictSummary()

    @property
    def log(self) -> list[dict[str, Any]]:
        """The entries made so far."""
        return self._log

    def __call__(self, trainer: Any) -> None:
        observation = trainer.observation
        if self._keys is None:
            self._summary.add(observation)
        else:
            self._summary.add({k: v for k, v in observation.items() if k in self._keys})
        if not self._trigger(trainer):
            return
        entry = self._summary.compute_mean()
        updater = trainer.updater
        entry['epoch'] = updater.epoch
        entry['iteration'] = updater.iteration
        entry['elapsed_time'] = trainer.elapsed_time
        if self._postprocess is not None:
            self._postprocess(entry)
        self._log.append(entry)
        if self._filename is not None:
            _write_json_atomically(os.path.join(trainer.out, self._filename), self._log)
        self._summary = DictSummary()

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the trigger, the running summary and the log (as JSON text)."""
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['_trigger'])
        self._summary.serialize(serializer['_summary'])
        self._log = load_converted(serializer, '_log', json.dumps(self._log), json_of(list))


def _write_json_atomically(path: str, value: Any) -> None:
    """Writes ``value`` as JSON, atomically, with the permissions the umask gives a new file."""
    with atomic_path(path) as temporary, open(temporary, 'w') as f:
        json.dump(value, f, indent=4)
