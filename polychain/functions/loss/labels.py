"""Integer class labels as masks: one-hot selection along the class axis."""

from __future__ import annotations

from typing import Any

from array_api_compat import device as native_device


def one_hot(xp: Any, t: Any, n_classes: int) -> Any:
    """A boolean ``(N, n_classes, d1, ...)`` mask of labels ``t`` of shape ``(N, d1, ...)``.

    A label outside ``[0, n_classes)`` (an ignored one) selects no class.
    """
    classes = xp.arange(n_classes, dtype=t.dtype, device=native_device(t))
    if t.ndim > 1:
        classes = xp.reshape(classes, (n_classes,) + (1,) * (t.ndim - 1))
    return t[:, None, ...] == classes
