"""Trainer: runs the training loop and its extensions."""

from __future__ import annotations

import os
import sys
import time
import traceback
from dataclasses import dataclass
from typing import Any

from polychain.reporter import Reporter
from polychain.training.extension import PRIORITY_READER
from polychain.training.triggers import get_trigger


@dataclass
class _ExtensionEntry:
    extension: Any
    trigger: Any
    priority: int
    call_before_training: bool


class Trainer:
    """Runs ``updater.update()`` until ``stop_trigger`` fires, calling extensions on the way.

    Args:
        updater: The updater (e.g. :class:`~polychain.training.StandardUpdater`).
        stop_trigger: A trigger or ``(length, unit)`` such as ``(20, 'epoch')``;
            ``None`` trains until interrupted.
        out: Directory for logs and snapshots.
        extensions: Extensions to register with their defaults.
    """

    def __init__(self, updater: Any, stop_trigger: Any = None, out: str = 'result',
                 extensions: list[Any] | None = None) -> None:
        self.updater = updater
        self.stop_trigger = get_trigger(stop_trigger)
        self.out = out
        self.observation: dict[str, Any] = {}
        self.reporter = Reporter()
        for name, optimizer in updater.get_all_optimizers().items():
            self.reporter.add_observer(name, optimizer.target)
            self.reporter.add_observers(name, optimizer.target.namedlinks(skipself=True))
        self._extensions: dict[str, _ExtensionEntry] = {}
        self._start_at: float | None = None
        self._snapshot_elapsed_time = 0.0
        self._final_elapsed_time: float | None = None
        self._done = False
        #: ``True`` while the extensions with ``call_before_training`` run.
        self.is_before_training = False
        updater.connect_trainer(self)
        for extension in extensions or ():
            self.extend(extension)

    @property
    def elapsed_time(self) -> float:
        """Seconds spent in ``run`` (including time before a resume).

        Raises:
            RuntimeError: Training has not started.
        """
        if self._done and self._final_elapsed_time is not None:
            return self._final_elapsed_time
        if self._start_at is None:
            raise RuntimeError('Trainer.elapsed_time: training has not been started yet')
        return time.time() - self._start_at + self._snapshot_elapsed_time

    def extend(self, extension: Any, name: str | None = None, trigger: Any = None,
               priority: int | None = None, *, call_before_training: bool = False) -> None:
        """Registers an extension.

        Args:
            extension: An Extension or a function decorated by ``make_extension``.
            name: Its name (default: its ``name`` or ``default_name``); a repeated
                name gets a numeric suffix.
            trigger: When it runs (default: its ``trigger``).
            priority: Order among extensions triggered at once (higher first).
            call_before_training: Also call it once before the first iteration.
        """
        if name is None:
            name = getattr(extension, 'name', None) or getattr(extension, 'default_name', None) \
                or getattr(extension, '__name__', None)
        if name is None:
            raise TypeError('Trainer.extend: the extension has no name; pass name=')
        if name == 'training':
            raise ValueError("Trainer.extend: the name 'training' is reserved")
        if trigger is None:
            trigger = getattr(extension, 'trigger', (1, 'iteration'))
        if priority is None:
            priority = getattr(extension, 'priority', PRIORITY_READER)
        unique, n = name, 0
        while unique in self._extensions:
            n += 1
            unique = f'{name}_{n}'
        try:
            extension.name = unique
        except AttributeError:
            pass
        self._extensions[unique] = _ExtensionEntry(extension, get_trigger(trigger), priority,
                                                   call_before_training)

    def get_extension(self, name: str) -> Any:
        """The extension registered as ``name``."""
        if name not in self._extensions:
            raise ValueError(f'Trainer.get_extension: no extension called {name!r}; '
                             f'registered: {sorted(self._extensions)}')
        return self._extensions[name].extension

    def run(self, show_loop_exception_msg: bool = True) -> None:
        """Runs the training loop until the stop trigger fires.

        On an exception (Ctrl-C included) every extension's ``on_error`` is
        called, then ``finalize`` of extensions and the updater, and the
        exception propagates.
        """
        if self._done:
            raise RuntimeError('Trainer.run: cannot run a trainer twice')
        os.makedirs(self.out, exist_ok=True)
        ordered = sorted(self._extensions.items(), key=lambda item: -item[1].priority)
        self._start_at = time.time()
        for _, entry in ordered:
            initialize = getattr(entry.extension, 'initialize', None)
            if initialize is not None and not getattr(entry.trigger, 'finished', False):
                initialize(self)
        self.is_before_training = True
        try:
            for _, entry in ordered:
                if entry.call_before_training:
                    entry.extension(self)
        finally:
            self.is_before_training = False
        update = self.updater.update
        try:
            while not self.stop_trigger(self):
                self.observation = {}
                with self.reporter.scope(self.observation):
                    update()
                    for _, entry in ordered:
                        if entry.trigger(self):
                            entry.extension(self)
        except BaseException as error:
            if show_loop_exception_msg and not isinstance(error, KeyboardInterrupt):
                print(f'Exception in the training loop: {error}', file=sys.stderr)
                traceback.print_exc()
            tb = sys.exc_info()[2]
            for name, entry in ordered:
                on_error = getattr(entry.extension, 'on_error', None)
                if on_error is not None:
                    try:
                        on_error(self, error, tb)
                    except Exception as handler_error:  # the training error matters more
                        print(f'Exception in the on_error of extension {name!r}: '
                              f'{handler_error!r}', file=sys.stderr)
            raise
        finally:
            for _, entry in ordered:
                finalize = getattr(entry.extension, 'finalize', None)
                if finalize is not None:
                    finalize()
            self.updater.finalize()
            self._final_elapsed_time = self.elapsed_time
            self._done = True

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the updater, the stop trigger, the extensions and the elapsed time."""
        self.updater.serialize(serializer['updater'])
        if hasattr(self.stop_trigger, 'serialize'):
            self.stop_trigger.serialize(serializer['stop_trigger'])
        extensions = serializer['extensions']
        for name, entry in self._extensions.items():
            if hasattr(entry.extension, 'serialize'):
                entry.extension.serialize(extensions[name])
            if hasattr(entry.trigger, 'serialize'):
                entry.trigger.serialize(extensions[name]['trigger'])
        from polychain.serializer import Serializer
        if isinstance(serializer, Serializer):
            elapsed = self._snapshot_elapsed_time if self._start_at is None \
                else self.elapsed_time
            serializer('_snapshot_elapsed_time', elapsed)
        else:
            elapsed = serializer('_snapshot_elapsed_time', 0.0)
            if elapsed is not None:
                self._snapshot_elapsed_time = float(elapsed)
