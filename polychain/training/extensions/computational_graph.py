"""DumpGraph: writes the computational graph of an observed variable as a DOT file."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from typing import Any

from polychain.computational_graph import build_computational_graph
from polychain.configuration import config
from polychain.serializers.atomic_file import atomic_path
from polychain.training.extension import Extension
from polychain.variable import Variable


class DumpGraph(Extension):
    """Dumps the graph behind ``trainer.observation[root_name]`` once, after the first iteration.

    Reports normally drop the graph of reported variables; this extension
    sets ``config.keep_graph_on_report`` from ``initialize`` until the dump
    is written. Parameters of the optimizers' targets are labelled with
    their paths (e.g. ``main/predictor/W``).

    Where Graphviz's ``dot`` command is installed, a PNG rendering is written
    next to the DOT file.

    Args:
        root_name: The observation key of the variable (e.g. ``'main/loss'``).
        filename: The DOT file in the trainer's ``out`` (``out_name`` is
            accepted as an alias; default ``'cg.dot'``).
        variable_style: DOT attributes of variable nodes (``None`` for the
            defaults of :class:`~polychain.computational_graph.ComputationalGraph`).
        function_style: DOT attributes of function nodes (``None`` likewise).
    """

    default_name = 'dump_graph'

    def __init__(self, root_name: str, filename: str | None = None,
                 variable_style: Mapping[str, str] | None = None,
                 function_style: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        out_name = kwargs.pop('out_name', 'cg.dot')
        if kwargs:
            raise TypeError(f'DumpGraph: unexpected arguments {sorted(kwargs)}')
        self._root_name = root_name
        self._filename = filename if filename is not None else out_name
        self._variable_style = 'default' if variable_style is None else variable_style
        self._function_style = 'default' if function_style is None else function_style
        self._flag_called = False

    def initialize(self, trainer: Any) -> None:
        """Makes reports keep the graph until the dump is written."""
        if not self._flag_called:
            _keep_graph_on_report.hold(self)

    def trigger(self, trainer: Any) -> bool:
        """Fires until the graph has been dumped."""
        return not self._flag_called

    def __call__(self, trainer: Any) -> None:
        if self._flag_called:
            return
        try:
            variable = trainer.observation[self._root_name]
            if not isinstance(variable, Variable):
                raise TypeError(f'DumpGraph: expected the observation {self._root_name!r} to '
                                f'be a Variable, received {type(variable).__name__}')
            dot = build_computational_graph(
                [variable], variable_style=self._variable_style,
                function_style=self._function_style,
                named_variables=_named_parameters(trainer)).dump()
            os.makedirs(trainer.out, exist_ok=True)
            path = os.path.join(trainer.out, self._filename)
            with atomic_path(path) as temporary:
                with open(temporary, 'w') as f:
                    f.write(dot)
            if is_graphviz_available():
                base, _ = os.path.splitext(path)
                subprocess.run(['dot', '-Tpng', path, '-o', base + '.png'], check=True)
        finally:
            self._restore_flag()
            self._flag_called = True

    def finalize(self) -> None:
        """Restores ``keep_graph_on_report`` if training ended before the dump."""
        self._restore_flag()

    def _restore_flag(self) -> None:
        _keep_graph_on_report.release(self)

    def serialize(self, serializer: Any) -> None:
        """Saves or loads whether the graph was dumped."""
        self._flag_called = bool(serializer('_flag_called', self._flag_called))


def dump_graph(root_name: str, out_name: str = 'cg.dot',
               variable_style: Mapping[str, str] | None = None,
               function_style: Mapping[str, str] | None = None) -> DumpGraph:
    """Chainer's older spelling of :class:`DumpGraph` (with ``out_name``)."""
    return DumpGraph(root_name, out_name, variable_style, function_style)


def is_graphviz_available() -> bool:
    """Whether Graphviz's ``dot`` command can be run to render dumped graphs."""
    return shutil.which('dot') is not None


class _SharedConfigFlag:
    """Sets a config entry to ``True`` while at least one holder needs it, then restores it.

    Holders may release in any order (several DumpGraph extensions in one
    trainer); the entry returns to what it was before the first hold.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._holders: list[Any] = []
        self._saved: Any = None

    def hold(self, holder: Any) -> None:
        if any(h is holder for h in self._holders):
            return
        if not self._holders:
            self._saved = vars(config).get(self._name, _UNSET)
            setattr(config, self._name, True)
        self._holders.append(holder)

    def release(self, holder: Any) -> None:
        if not any(h is holder for h in self._holders):
            return
        self._holders = [h for h in self._holders if h is not holder]
        if not self._holders:
            if self._saved is _UNSET:
                delattr(config, self._name)
            else:
                setattr(config, self._name, self._saved)


_UNSET = object()
_keep_graph_on_report = _SharedConfigFlag('keep_graph_on_report')


def _named_parameters(trainer: Any) -> Iterator[tuple[str, Any]]:
    """The parameters of the optimizers' targets, named by path (``'main/predictor/W'``)."""
    for name, optimizer in trainer.updater.get_all_optimizers().items():
        for path, param in optimizer.target.namedparams(include_uninit=False):
            yield name + path, param
