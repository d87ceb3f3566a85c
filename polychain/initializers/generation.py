"""``get_initializer`` and ``generate_array``: initializers from values, arrays from them."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend.registry import backend_names, get_backend, get_device
from polychain.configuration import get_dtype
from polychain.initializers.base import Initializer
from polychain.initializers.constant import Constant
from polychain.initializers.normal import LeCunNormal


def get_initializer(initializer: Any) -> Any:
    """Turns ``None``, a scalar, an array or an initializer into an initializer.

    ``None`` gives :class:`LeCunNormal`, Chainer's default for weights; a
    callable is returned as it is.

    Raises:
        TypeError: ``initializer`` is none of these.
    """
    if initializer is None:
        return LeCunNormal()
    if isinstance(initializer, Initializer) or callable(initializer):
        return initializer
    if numpy.isscalar(initializer) or hasattr(initializer, 'shape'):
        return Constant(initializer)
    raise TypeError(f'get_initializer: expected an initializer, a scalar or an array, '
                    f'received {type(initializer).__name__}')


def generate_array(initializer: Any, shape: Any, xp: Any = None, dtype: Any = None,
                   device: Any = None) -> Any:
    """Creates an array of ``shape`` filled by ``initializer``.

    The values are computed on the host and sent to the target device:
    ``device`` when given, otherwise the device of the array module ``xp``
    (``@numpy`` when neither is given).

    Args:
        initializer: A callable filling an array in place.
        shape: The shape of the array.
        xp: The array module (``numpy``, ``cupy``, the ``xp`` of a device).
        dtype: The dtype; must agree with ``initializer.dtype`` when both are
            given. ``None`` takes the initializer's, else ``config.dtype``.
        device: A device specifier.

    Raises:
        ValueError: ``dtype`` and the initializer's dtype differ, or ``xp``
            is not the array module of ``device``.
    """
    init_dtype = getattr(initializer, 'dtype', None)
    if dtype is not None and init_dtype is not None \
            and numpy.dtype(dtype) != numpy.dtype(init_dtype):
        raise ValueError(f'generate_array: dtype {numpy.dtype(dtype)} differs from the '
                         f"initializer's dtype {numpy.dtype(init_dtype)}")
    dtype = get_dtype(dtype if dtype is not None else init_dtype)
    target = _target_device(xp, device)
    host = numpy.empty(shape, dtype=dtype)
    initializer(host)
    return target.send(host)


def _target_device(xp: Any, device: Any) -> Any:
    if device is not None:
        device = get_device(device)
        if xp is not None and xp is not device.xp and xp is not device.namespace:
            raise ValueError(f'generate_array: xp {getattr(xp, "__name__", xp)} is not the '
                             f'array module of the device {device}')
        return device
    if xp is None or xp is numpy:
        return get_device('@numpy')
    return _device_of_module(xp)


def _device_of_module(xp: Any) -> Any:
    """The first device whose array module (or Array API namespace) is ``xp``."""
    for name in backend_names():
        try:
            devices = get_backend(name).devices()
        except Exception:  # noqa: BLE001 - a backend that cannot run here has no devices
            continue
        for device in devices:
            if xp is device.xp or xp is device.namespace:
                return device
    raise ValueError(f'generate_array: no device has the array module '
                     f'{getattr(xp, "__name__", xp)}')
