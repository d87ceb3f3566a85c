"""Packs the parameters or gradients of a link into one flat array, and back.

The parallel updaters move one array per collective instead of one per
parameter. Parameters are taken in the order of their sorted paths; an
uninitialised one is left out, a missing gradient packs as zeros. The packed
dtype is float32, or float64 when a parameter is float64.
"""

from __future__ import annotations

from typing import Any

_ATTRIBUTES = ('grad', 'array')


def _initialised(link: Any) -> list[Any]:
    return [param for _, param in sorted(link.namedparams(), key=lambda item: item[0])
            if param.array is not None and param.size > 0]


def pack(link: Any, attribute: str) -> Any:
    """One flat array, on the link's device, of ``attribute`` (``'grad'`` or ``'array'``)."""
    if attribute not in _ATTRIBUTES:
        raise ValueError(f"pack: expected attribute 'grad' or 'array', received {attribute!r}")
    params = _initialised(link)
    xp = link.device.namespace
    dtype = xp.result_type(xp.float32, *(param.dtype for param in params))
    pieces = []
    for param in params:
        value = getattr(param, attribute)
        if value is None:
            pieces.append(xp.zeros(param.size, dtype=dtype))
        else:
            pieces.append(xp.reshape(xp.astype(value, dtype), (-1,)))
    if not pieces:
        return xp.zeros(0, dtype=dtype)
    return xp.concat(pieces)


def unpack(link: Any, flat: Any, attribute: str) -> None:
    """Sets ``attribute`` of the link's parameters from :func:`pack`'s layout.

    ``flat`` may live on any device; each piece is sent to its parameter's
    device and cast to its dtype. A parameter whose ``attribute`` is ``None``
    is skipped, as in Chainer.

    Raises:
        ValueError: ``flat`` does not have as many elements as the link packs.
    """
    if attribute not in _ATTRIBUTES:
        raise ValueError(f"unpack: expected attribute 'grad' or 'array', received {attribute!r}")
    params = _initialised(link)
    expected = sum(param.size for param in params)
    if flat.shape != (expected,):
        raise ValueError(f'unpack: the link packs {expected} elements, received an array of '
                         f'shape {tuple(flat.shape)}')
    flat = link.device.send(flat)
    offset = 0
    for param in params:
        size = param.size
        if getattr(param, attribute) is not None:
            xp = param.device.namespace
            piece = param.device.send(flat[offset:offset + size])
            setattr(param, attribute, xp.astype(xp.reshape(piece, param.shape), param.dtype))
        offset += size
