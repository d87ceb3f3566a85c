"""Helpers shared by the link hook tests."""

from __future__ import annotations

from typing import Any

import numpy

import polychain
import polychain.links as L
from polychain.backend.registry import to_host


class WeightProbe(polychain.LinkHook):
    """Records the weight a link sees during its call (the substitute of a reparametrizing hook)."""

    name = 'WeightProbe'

    def __init__(self) -> None:
        self.seen: Any = None

    def forward_preprocess(self, args: Any) -> None:
        self.seen = to_host(args.link.W.array)


def make_link(kind: str, device: Any, dtype: Any, rng: numpy.random.Generator) -> Any:
    """A Linear (4 x 6) or Convolution2D (5 x 3 x 3 x 3) link without bias, its weight drawn
    from ``rng`` in ``dtype``, on ``device``."""
    if kind == 'linear':
        link, shape = L.Linear(6, 4, nobias=True), (4, 6)
    else:
        link, shape = L.Convolution2D(3, 5, 3, nobias=True), (5, 3, 3, 3)
    link.to_device(device)
    link.W.array = device.send(rng.standard_normal(shape).astype(dtype))
    return link


def make_input(kind: str, device: Any, dtype: Any, rng: numpy.random.Generator) -> Any:
    """An input batch for :func:`make_link`'s link of the same kind."""
    shape = (2, 6) if kind == 'linear' else (2, 3, 5, 5)
    return device.send(rng.standard_normal(shape).astype(dtype))
