"""DecorrelatedBatchNormalization: whitening of groups of channels, with running statistics."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy

from polychain.backend.registry import get_device_from_array
from polychain.configuration import config
from polychain.functions.normalization.decorrelated_batch_normalization import (
    decorrelated_batch_normalization,
    fixed_decorrelated_batch_normalization,
)
from polychain.link import Link
from polychain.serializers.serializer import Deserializer
from polychain.utils.argument import parse_kwargs
from polychain.variable import Variable


def _group_shape(size: int, groups: int | None, group_size: int | None) -> tuple[int, int]:
    """``(groups, group_size)`` with ``groups * group_size == size``."""
    if groups is None and group_size is None:
        group_size = 16
    if group_size is None:
        group_size = size // groups
    elif groups is None:
        groups = size // group_size
    if groups * group_size != size:
        raise ValueError(f'DecorrelatedBatchNormalization: cannot satisfy size == groups * '
                         f'group_size: size = {size}, groups = {groups}, '
                         f'group_size = {group_size}')
    return groups, group_size


class DecorrelatedBatchNormalization(Link):
    """Decorrelated batch normalization layer.

    In training mode it whitens the input with batch statistics (see
    :func:`~polychain.functions.decorrelated_batch_normalization`) and keeps
    running averages of them in ``avg_mean`` and ``avg_projection``; with
    ``finetune=True`` the averages are cumulative over the batches since
    :meth:`start_finetuning`. In test mode it uses the averages
    (:func:`~polychain.functions.fixed_decorrelated_batch_normalization`).

    Args:
        size: Number of channels.
        groups: Number of groups whitened separately (or ``None`` with ``group_size``).
        decay: Decay rate of the running averages.
        eps: Added to the diagonal of the covariances.
        dtype: dtype of the running statistics.
        group_size: (keyword only) Channels per group, instead of ``groups``.

    Attributes:
        avg_mean: Running mean, ``(groups, group_size)``.
        avg_projection: Running projection, ``(groups, group_size, group_size)``.
        N: Batches seen in fine-tuning.
    """

    def __init__(self, size: int, groups: int | None = 16, decay: float = 0.9,
                 eps: float = 2e-5, dtype: Any = numpy.float32, **kwargs: Any) -> None:
        super().__init__()
        group_size, = parse_kwargs(kwargs, ('group_size', None))
        groups, group_size = _group_shape(size, groups, group_size)
        self.groups = groups
        self.decay = decay
        self.eps = eps
        self.add_persistent('avg_mean', numpy.zeros((groups, group_size), dtype=dtype))
        self.add_persistent('avg_projection', numpy.broadcast_to(
            numpy.eye(group_size, dtype=dtype), (groups, group_size, group_size)).copy())
        self.add_persistent('N', 0)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'size', self.groups * self.avg_mean.shape[1]
        yield 'groups', self.groups
        yield 'decay', self.decay
        yield 'eps', self.eps

    def serialize(self, serializer: Any) -> None:
        """Saves or loads; statistics saved without a groups axis (Chainer < 7) are repeated
        for every group, with a warning when there is more than one."""
        if isinstance(serializer, Deserializer):
            serializer = _UngroupedStatistics(serializer, self.groups)
        super().serialize(serializer)

    def start_finetuning(self) -> None:
        """Restarts the cumulative averages of fine-tuning (sets ``N`` to 0)."""
        self.N = 0

    def forward(self, x: Any, **kwargs: Any) -> Variable:
        """forward(self, x, *, finetune=False)

        Whitens ``x``; in training mode, updates ``avg_mean`` and ``avg_projection``.
        """
        finetune, = parse_kwargs(kwargs, ('finetune', False))
        if not config.train:
            return fixed_decorrelated_batch_normalization(x, self.avg_mean, self.avg_projection,
                                                          groups=self.groups)
        if getattr(config, 'in_recomputing', False):  # the forward again, under forget
            return decorrelated_batch_normalization(x, groups=self.groups, eps=self.eps)
        if finetune:
            self.N += 1
            decay = 1.0 - 1.0 / self.N
        else:
            decay = self.decay
        y, self.avg_mean, self.avg_projection = decorrelated_batch_normalization(
            x, groups=self.groups, eps=self.eps, running_mean=self.avg_mean,
            running_projection=self.avg_projection, decay=decay, return_statistics=True)
        return y


class _UngroupedStatistics:
    """Reads ``avg_mean`` and ``avg_projection`` saved without their groups axis."""

    _NDIM = {'avg_mean': 2, 'avg_projection': 3}

    def __init__(self, base: Any, groups: int) -> None:
        self.base = base
        self.groups = groups

    def __call__(self, key: str, value: Any) -> Any:
        if key not in self._NDIM:
            return self.base(key, value)
        loaded = self.base(key, None)
        if loaded is None:  # nothing read yet (the first pass of a staged load)
            return value
        loaded = numpy.asarray(loaded)
        if loaded.ndim == self._NDIM[key] - 1:
            if self.groups != 1:
                warnings.warn('DecorrelatedBatchNormalization: found moving statistics of the '
                              'old DecorrelatedBatchNormalization, whose algorithm differed '
                              'from the paper; they are used for every group', UserWarning,
                              stacklevel=2)
            loaded = numpy.broadcast_to(loaded, (self.groups,) + loaded.shape)
        elif loaded.ndim != self._NDIM[key]:
            raise ValueError(f'DecorrelatedBatchNormalization: unexpected shape of {key}: '
                             f'{loaded.shape}')
        device = get_device_from_array(value)
        return device.namespace.astype(device.send(numpy.ascontiguousarray(loaded)),
                                       value.dtype)
