"""unchain_variables: cuts the graphs of the observed Variables after the other extensions."""

from __future__ import annotations

from typing import Any

from polychain.configuration import config
from polychain.training.extension import Extension
from polychain.variable import Variable


class unchain_variables(Extension):  # noqa: N801 (Chainer's name)
    """Trainer extension that unchains the graphs of the Variables in ``trainer.observation``.

    With ``config.keep_graph_on_report`` on, reported Variables keep their
    computational graphs while the extensions run. This extension, run last
    (priority 0), unchains them to release that memory: a last resort for an
    extension that keeps a graph and cannot release it itself. It runs after
    each iteration in which ``keep_graph_on_report`` was on at the previous
    check (as the flag stood when the graph was reported).
    """

    priority = 0

    def __init__(self) -> None:
        self._previous_flag: bool | None = None

    def initialize(self, trainer: Any) -> None:
        """Reads the current ``keep_graph_on_report`` flag."""
        self._previous_flag = config.keep_graph_on_report

    def trigger(self, trainer: Any) -> bool:
        """Whether ``keep_graph_on_report`` was on at the previous iteration's check."""
        flag = self._previous_flag
        self._previous_flag = config.keep_graph_on_report
        return bool(flag)

    def __call__(self, trainer: Any) -> None:
        """Unchains every Variable of ``trainer.observation`` from its creator."""
        for value in trainer.observation.values():
            if isinstance(value, Variable):
                value.unchain_backward()
