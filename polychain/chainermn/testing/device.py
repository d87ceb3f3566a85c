"""``get_device`` of ChainerMN's tests."""

from __future__ import annotations

from typing import Any

import polychain


def get_device(device_id: int | None = None, use_chainerx: bool = False) -> Any:
    """The device for a test: ``@numpy`` without ``device_id``, else ``@cupy:<device_id>``
    (with ``use_chainerx``, ChainerX's ``native:0`` / ``cuda:<device_id>``, which raise
    ``BackendUnavailable``: polychain has no ChainerX)."""
    if device_id is None:
        return polychain.get_device('native:0' if use_chainerx else '@numpy')
    return polychain.get_device(f'cuda:{device_id}' if use_chainerx else f'@cupy:{device_id}')
