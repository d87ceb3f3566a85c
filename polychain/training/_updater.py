"""Updater: the interface of the objects a Trainer asks to run each iteration.

``polychain.training.updater`` gives it with the updaters, as Chainer's module does.
"""

from __future__ import annotations

from typing import Any


class Updater:
    """Interface of updaters: a :class:`~polychain.training.Trainer` calls :meth:`update`.

    Subclasses implement :meth:`get_optimizer`, :meth:`get_all_optimizers`,
    :meth:`update` and :meth:`serialize`, and give ``iteration``, ``epoch``,
    ``epoch_detail``, ``previous_epoch_detail`` and ``is_new_epoch``.
    """

    def connect_trainer(self, trainer: Any) -> None:
        """Called by the Trainer that runs this updater; does nothing by default."""

    def finalize(self) -> None:
        """Releases resources at the end of training; does nothing by default."""

    def get_optimizer(self, name: str) -> Any:
        """The optimizer called ``name``."""
        raise NotImplementedError(f'{type(self).__name__}.get_optimizer is not implemented')

    def get_all_optimizers(self) -> dict[str, Any]:
        """Every optimizer by name."""
        raise NotImplementedError(f'{type(self).__name__}.get_all_optimizers is not implemented')

    def update(self) -> None:
        """Runs one iteration."""
        raise NotImplementedError(f'{type(self).__name__}.update is not implemented')

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the state of the updater."""
        raise NotImplementedError(f'{type(self).__name__}.serialize is not implemented')

