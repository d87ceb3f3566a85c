"""DaliIterator: batches from an NVIDIA DALI pipeline (experimental, as in Chainer)."""

from __future__ import annotations

import importlib.util
from typing import Any

from polychain.dataset.iterator import Iterator
from polychain.utils.experimental import experimental


def dali_available() -> bool:
    """Whether NVIDIA DALI (``nvidia.dali``) can be imported here."""
    try:
        return importlib.util.find_spec('nvidia.dali') is not None
    except ModuleNotFoundError:  # no ``nvidia`` package at all
        return False


class DaliIterator(Iterator):
    """(Experimental) Iterator over the batches of a DALI pipeline.

    Each ``next()`` runs the pipeline once and returns its outputs as DALI
    gives them (TensorLists); a converter such as Chainer's ``DaliConverter``
    turns them into arrays. Epochs are counted from the size the pipeline's
    reader reports (``pipeline.epoch_size()``).

    Args:
        pipeline: A DALI pipeline (``nvidia.dali.Pipeline``), built on the first batch.
        repeat (bool): Loop over the data forever; otherwise stop after one epoch.

    Raises:
        RuntimeError: DALI is not installed.
    """

    def __init__(self, pipeline: Any, repeat: bool = True) -> None:
        if not dali_available():
            raise RuntimeError('DaliIterator: NVIDIA DALI is not installed (the nvidia.dali '
                               'package cannot be imported)')
        experimental('polychain.iterators.DaliIterator')
        self.pipeline = pipeline
        self._repeat = repeat
        self._is_built = False
        self.epoch_size = 0
        self.reset()

    @property
    def batch_size(self) -> int:
        """Examples per batch: the pipeline's batch size."""
        pipeline = self.pipeline
        return getattr(pipeline, 'batch_size', None) or pipeline.max_batch_size

    def __next__(self) -> Any:
        if not self._is_built:
            self.pipeline.build()
            self._is_built = True
            self.epoch_size = next(iter(self.pipeline.epoch_size().values()))
        if not self._repeat and self.epoch > 0:
            raise StopIteration
        self._previous_epoch_detail = self.epoch_detail
        outputs = self.pipeline.run()
        end = self.current_position + self.batch_size
        self.is_new_epoch = end >= self.epoch_size
        if self.is_new_epoch:
            self.epoch += 1
            end -= self.epoch_size
        self.current_position = end
        return outputs

    @property
    def epoch_detail(self) -> float:
        """Epochs done, with the fraction of the current one (0 before the pipeline is built)."""
        if not self.epoch_size:
            return float(self.epoch)
        return self.epoch + self.current_position / self.epoch_size

    @property
    def previous_epoch_detail(self) -> float | None:
        """``epoch_detail`` before the last batch, ``None`` before the first one."""
        return None if self._previous_epoch_detail < 0 else self._previous_epoch_detail

    @property
    def repeat(self) -> bool:
        return self._repeat

    def reset(self) -> None:
        """Starts over from the first epoch (the pipeline's own reader is not rewound)."""
        self.current_position = 0
        self.epoch = 0
        self.is_new_epoch = False
        self._previous_epoch_detail = -1.0

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the position, the epoch and whether a new epoch just began."""
        self.current_position = serializer('current_position', self.current_position)
        self.epoch = serializer('epoch', self.epoch)
        self.is_new_epoch = serializer('is_new_epoch', self.is_new_epoch)
        try:
            self._previous_epoch_detail = serializer('previous_epoch_detail',
                                                     self._previous_epoch_detail)
        except KeyError:  # a snapshot written before previous_epoch_detail was kept
            self._previous_epoch_detail = -1.0
