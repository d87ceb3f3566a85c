"""The initializer protocol and ``generate_array``."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend.registry import get_device
from polychain.configuration import config


class Initializer:
    """Fills a host ``numpy.ndarray`` in place.

    Args:
        dtype: The dtype the initializer produces; ``None`` follows the target.
    """

    def __init__(self, dtype: Any = None) -> None:
        self.dtype = None if dtype is None else numpy.dtype(dtype)

    def __call__(self, array: numpy.ndarray) -> None:
        raise NotImplementedError(f'{type(self).__name__} must implement __call__(array)')


def get_initializer(initializer: Any) -> Initializer:
    """Turns ``None``, a scalar, an array or an Initializer into an Initializer.

    ``None`` gives :class:`LeCunNormal`, Chainer's default for weights.
    """
    from polychain.initializers.constant import Constant
    from polychain.initializers.normal import LeCunNormal
    if initializer is None:
        return LeCunNormal()
    if isinstance(initializer, Initializer) or callable(initializer):
        return initializer
    return Constant(initializer)


def generate_array(initializer: Any, shape: tuple[int, ...], xp: Any = None,
                   dtype: Any = None, device: Any = None) -> Any:
    """Creates an array of ``shape`` filled by ``initializer`` on ``device``.

    The values are drawn on the host (NumPy's global random state) and sent
    to the device. ``xp`` is accepted for Chainer compatibility; the device
    decides where the array lands (``@numpy`` when neither is given).
    """
    init_dtype = getattr(initializer, 'dtype', None)
    if dtype is not None and init_dtype is not None and numpy.dtype(dtype) != init_dtype:
        raise ValueError(f'generate_array: dtype {numpy.dtype(dtype)} differs from the '
                         f"initializer's dtype {init_dtype}")
    dtype = numpy.dtype(dtype or init_dtype or config.dtype)
    host = numpy.empty(shape, dtype=dtype)
    initializer(host)
    return get_device(device if device is not None else '@numpy').send(host)
