"""``AllreducePersistent``: persistent values (running statistics) averaged over ranks."""

from __future__ import annotations

from typing import Any

from polychain.chainermn.communicators import _memory_utility
from polychain.training import extension


class AllreducePersistent(extension.Extension):
    """Replaces each floating persistent array of ``model`` (the running mean and variance
    of batch normalization) by its mean over the ranks of ``comm``; runs before evaluators.

    Args:
        model: The link whose persistent values are averaged.
        comm: A ChainerMN communicator.
    """

    trigger = 1, 'epoch'
    priority = extension.PRIORITY_WRITER + 1

    def __init__(self, model: Any, comm: Any) -> None:
        self.model = model
        self.comm = comm

    def __call__(self, trainer: Any = None) -> None:
        for _, link in sorted(self.model.namedlinks(), key=lambda item: item[0]):
            for name in sorted(link._persistent):
                value = getattr(link, name)
                if hasattr(value, 'dtype') and _memory_utility.dtype_of(value).kind == 'f':
                    setattr(link, name, self.comm.allreduce(value) / self.comm.size)
