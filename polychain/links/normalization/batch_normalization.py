"""The batch normalization layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy

from polychain import initializers
from polychain.configuration import config, get_dtype
from polychain.functions.normalization.batch_normalization import (
    batch_normalization,
    fixed_batch_normalization,
)
from polychain.link import Link
from polychain.links.normalization.affine_parameters import initializer_of
from polychain.parameter import Parameter
from polychain.variable import Variable


def _finetune_argument(link: str, kwargs: dict[str, Any]) -> bool:
    """The ``finetune`` keyword of ``forward``; the only one accepted."""
    if 'test' in kwargs:
        raise ValueError(f'{link}.forward: the test argument is not supported anymore; use '
                         f"polychain.using_config('train', False)")
    finetune = kwargs.pop('finetune', False)
    if kwargs:
        raise TypeError(f'{link}.forward: unexpected keyword arguments {sorted(kwargs)}')
    return finetune


class BatchNormalization(Link):
    """Batch normalization layer on outputs of linear or convolution functions.

    In training mode (``config.train``) it normalizes by the batch statistics
    and keeps running averages of them in the persistent arrays ``avg_mean``
    and ``avg_var``; in fine-tuning mode (``forward(x, finetune=True)``) the
    averages are cumulative over the ``N`` batches seen since
    :meth:`start_finetuning`; otherwise it normalizes by ``avg_mean`` and
    ``avg_var``. Each training step replaces ``avg_mean`` and ``avg_var``
    with new arrays (one assignment each), so it works on backends whose
    arrays cannot be written into.

    Args:
        size: Channel shape (an int or a tuple), or ``None`` to infer it from
            the first input (then ``axis`` is required).
        decay: Decay rate of the running averages.
        eps: Added to the variance.
        dtype: Dtype of the parameters and statistics (default ``config.dtype``;
            float32 under ``mixed16``).
        use_gamma: Learn a scale ``gamma`` (otherwise the scale is 1).
        use_beta: Learn a shift ``beta`` (otherwise the shift is 0).
        initial_gamma: Initializer of ``gamma`` (default 1).
        initial_beta: Initializer of ``beta`` (default 0).
        axis: Axes averaged over (an int or a tuple); ``None`` averages the
            first axis and those after the channel axes.
        initial_avg_mean: Initializer of ``avg_mean`` (default 0).
        initial_avg_var: Initializer of ``avg_var`` (default 1).
    """

    gamma: Parameter | None = None
    beta: Parameter | None = None
    avg_mean: Any = None
    avg_var: Any = None

    def __init__(self, size: Any = None, decay: float = 0.9, eps: float = 2e-5,
                 dtype: Any = None, use_gamma: bool = True, use_beta: bool = True,
                 initial_gamma: Any = None, initial_beta: Any = None, axis: Any = None,
                 initial_avg_mean: Any = None, initial_avg_var: Any = None) -> None:
        super().__init__()
        if size is None and axis is None:
            raise RuntimeError(f'{type(self).__name__}: size or axis is required, received '
                               f'neither')
        if size is not None and not isinstance(size, (int, numpy.integer, tuple, list)):
            raise TypeError(f'{type(self).__name__}: expected size to be an int or a tuple of '
                            f'ints, received {type(size).__name__}')
        self.decay = decay
        self.eps = eps
        self.axis = (axis,) if isinstance(axis, int) else axis
        self._dtype = get_dtype(dtype, map_mixed16=numpy.float32)
        self._initial_avg_mean = initial_avg_mean
        self._initial_avg_var = initial_avg_var
        self.add_persistent('N', 0)
        # Registered before they exist, so that a serializer can load them into a link
        # whose size is not known yet.
        self.add_persistent('avg_mean', None)
        self.add_persistent('avg_var', None)
        with self.init_scope():
            if use_gamma:
                self.gamma = Parameter(initializer_of(initial_gamma, 1, self._dtype))
            if use_beta:
                self.beta = Parameter(initializer_of(initial_beta, 0, self._dtype))
        if size is not None:
            self._initialize_params((size,) if isinstance(size, int) else tuple(size))

    def _initialize_params(self, shape: tuple[int, ...]) -> None:
        for name, initial, default in (('avg_mean', self._initial_avg_mean, 0),
                                       ('avg_var', self._initial_avg_var, 1)):
            setattr(self, name, initializers.generate_array(
                initializer_of(initial, default, self._dtype), shape, device=self.device))
        self._initial_avg_mean = self._initial_avg_var = None
        for param in (self.gamma, self.beta):
            if param is not None:
                param.initialize(shape)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'size', None if self.avg_mean is None else tuple(self.avg_mean.shape)
        yield 'decay', self.decay
        yield 'eps', self.eps
        yield 'axis', self.axis

    def start_finetuning(self) -> None:
        """Restarts the cumulative averages of fine-tuning (sets ``N`` to 0)."""
        self.N = 0

    def forward(self, x: Any, **kwargs: Any) -> Variable:
        """Normalizes ``x``; in training mode, replaces ``avg_mean`` and ``avg_var``.

        Args:
            x: Input of shape ``(batch, channel..., spatial...)``.
            finetune: (keyword only) Average the statistics cumulatively over the
                batches since :meth:`start_finetuning` instead of with ``decay``.

        Raises:
            ValueError: The ``test`` argument of old Chainer versions is given
                (use ``config.train``).
            TypeError: Another keyword argument is given.
        """
        finetune = _finetune_argument(type(self).__name__, kwargs)
        if self.avg_mean is None:
            self._initialize_params(tuple(n for i, n in enumerate(x.shape)
                                          if i not in self._statistics_axes(x.ndim)))
        xp = self.device.namespace
        gamma = xp.ones_like(self.avg_mean) if self.gamma is None else self.gamma
        beta = xp.zeros_like(self.avg_mean) if self.beta is None else self.beta
        if not config.train:
            return fixed_batch_normalization(x, gamma, beta, self.avg_mean, self.avg_var,
                                             self.eps, axis=self.axis)
        if getattr(config, 'in_recomputing', False):
            # F.forget runs the forward again for backward: same output, statistics
            # left as the first pass updated them.
            mean, var = self._statistics_read or (self.avg_mean, self.avg_var)
            return self._normalize_batch(x, gamma, beta, self.decay, xp.asarray(mean, copy=True),
                                         xp.asarray(var, copy=True))[0]
        if finetune:
            self.N += 1
            decay = 1.0 - 1.0 / self.N
        else:
            decay = self.decay
        mean, var = self.avg_mean, self.avg_var
        if not config.enable_backprop:  # maybe F.forget's first pass: keep what it reads
            mean, var = xp.asarray(mean, copy=True), xp.asarray(var, copy=True)
            self._statistics_read = mean, var
        y, self.avg_mean, self.avg_var = self._normalize_batch(x, gamma, beta, decay,
                                                               self.avg_mean, self.avg_var)
        return y

    #: Copies of the running statistics a forward without backprop read (see forward).
    _statistics_read: tuple[Any, Any] | None = None

    def _statistics_axes(self, x_ndim: int) -> tuple[int, ...]:
        return tuple(a % x_ndim for a in self.axis)

    def _normalize_batch(self, x: Any, gamma: Any, beta: Any, decay: float, running_mean: Any,
                         running_var: Any) -> tuple[Variable, Any, Any]:
        """The output and the new running mean and variance of a training step that
        starts from ``running_mean`` and ``running_var``."""
        return batch_normalization(x, gamma, beta, self.eps, running_mean, running_var, decay,
                                   self.axis, return_statistics=True)
