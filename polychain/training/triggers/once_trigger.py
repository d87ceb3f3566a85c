"""OnceTrigger: fires at the first call only (and optionally once more after a resume)."""

from __future__ import annotations

from typing import Any

from polychain.training.triggers.progress import serialize_or_default


class OnceTrigger:
    """Fires once, at its first call.

    Args:
        call_on_resume: Also fire at the first call after the trigger is
            loaded from a snapshot.
    """

    def __init__(self, call_on_resume: bool = False) -> None:
        self._flag_first = True
        self._flag_resumed = call_on_resume

    @property
    def finished(self) -> bool:
        """Whether the trigger will not fire again."""
        return not (self._flag_first or self._flag_resumed)

    def __call__(self, trainer: Any) -> bool:
        fire = not self.finished
        self._flag_first = False
        self._flag_resumed = False
        return fire

    def serialize(self, serializer: Any) -> None:
        """Saves or loads whether the first call has happened."""
        # A snapshot without this entry comes from a run in which the trigger had fired.
        self._flag_first = bool(serialize_or_default(serializer, '_flag_first', self._flag_first,
                                                     False))
