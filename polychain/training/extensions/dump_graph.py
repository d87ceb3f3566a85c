"""DumpGraph: writes the computational graph of an observed variable as a DOT file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from polychain.configuration import using_config
from polychain.serializers.atomic_file import atomic_path
from polychain.training.extension import Extension
from polychain.training.extensions.graph_dot import build_dot, describe_variable
from polychain.variable import Variable


class DumpGraph(Extension):
    """Dumps the graph behind ``trainer.observation[root_name]`` once, after the first iteration.

    Reports normally drop the graph of reported variables; this extension
    sets ``config.keep_graph_on_report`` from ``initialize`` until the dump
    is written. Parameters of the optimizers' targets are labelled with
    their paths (e.g. ``main/predictor/W``).

    Args:
        root_name: The observation key of the variable (e.g. ``'main/loss'``).
        filename: The DOT file in the trainer's ``out`` (``out_name`` is
            accepted as an alias; default ``'cg.dot'``).
        variable_style: DOT attributes of variable nodes.
        function_style: DOT attributes of function nodes.
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
        self._variable_style = variable_style
        self._function_style = function_style
        self._keep_graph: Any = None
        self._flag_called = False

    def initialize(self, trainer: Any) -> None:
        """Makes reports keep the graph until the dump is written."""
        if not self._flag_called and self._keep_graph is None:
            self._keep_graph = using_config('keep_graph_on_report', True)
            self._keep_graph.__enter__()

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
            dot = build_dot([variable], _parameter_labels(trainer),
                            self._variable_style, self._function_style)
            os.makedirs(trainer.out, exist_ok=True)
            with atomic_path(os.path.join(trainer.out, self._filename)) as temporary:
                with open(temporary, 'w') as f:
                    f.write(dot)
        finally:
            self._restore_flag()
            self._flag_called = True

    def finalize(self) -> None:
        """Restores ``keep_graph_on_report`` if training ended before the dump."""
        self._restore_flag()

    def _restore_flag(self) -> None:
        if self._keep_graph is not None:
            self._keep_graph.__exit__(None, None, None)
            self._keep_graph = None

    def serialize(self, serializer: Any) -> None:
        """Saves or loads whether the graph was dumped."""
        self._flag_called = bool(serializer('_flag_called', self._flag_called))


def _parameter_labels(trainer: Any) -> dict[int, str]:
    labels = {}
    for name, optimizer in trainer.updater.get_all_optimizers().items():
        for path, param in optimizer.target.namedparams(include_uninit=False):
            labels[id(param.node)] = describe_variable(name + path, param)
    return labels
