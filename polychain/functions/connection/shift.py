"""shift: moves groups of channels by different spatial offsets (a zero-FLOP convolution)."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.utils.type_check import InvalidType, expect_count, expect_float
from polychain.utils.windows import pad_constant
from polychain.variable import Variable


def _pair(value: Any, argument: str) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int) else tuple(value)
    if len(pair) != 2 or any(isinstance(v, bool) or not isinstance(v, int) for v in pair):
        raise TypeError(f'shift: expected an int or a pair of ints as {argument}, received '
                        f'{value!r}')
    return pair


class Shift(FunctionNode):
    """Channel group ``g`` moves by ``(ky * dy, kx * dx)`` for its kernel offset ``(ky, kx)``.

    The ``kh * kw`` groups take the kernel offsets in row-major order, except
    that the centre offset (no move) goes to the last group, which also takes
    the channels left over when ``C`` is not a multiple of ``kh * kw``.
    """

    check_type_on_failure = True

    def __init__(self, ksize: tuple[int, int], dilate: tuple[int, int]) -> None:
        self.ksize = ksize
        self.dilate = dilate

    def check_type_forward(self, in_types):
        expect_count(in_types, 1)
        x, = in_types
        expect_float(self.xp, x, 'x')
        kh, kw = self.ksize
        if x.ndim != 4 or x.shape[1] < kh * kw:
            raise InvalidType(f'x.ndim == 4 and x.shape[1] >= kh * kw == {kh * kw}',
                              f'x.shape == {x.shape}')

    def _offsets(self) -> list[tuple[int, int]]:
        """The kernel offset of each channel group, centred on ``(0, 0)``."""
        kh, kw = self.ksize
        n_groups = kh * kw
        center = (n_groups - 1) // 2
        order = list(range(n_groups))
        order[center], order[-1] = order[-1], order[center]
        return [(g // kw - kh // 2, g % kw - kw // 2) for g in order]

    def forward(self, inputs):
        x, = inputs
        n, c, h, w = x.shape
        kh, kw = self.ksize
        if c < kh * kw:
            raise ValueError(f'shift: expected at least kh * kw == {kh * kw} channels, '
                             f'received {c}')
        dy, dx = self.dilate
        py, px = kh // 2 * abs(dy), kw // 2 * abs(dx)
        padded = pad_constant(self.device, x, ((0, 0), (0, 0), (py, py), (px, px)), 0)
        group_size = c // (kh * kw)
        offsets = self._offsets()
        pieces = []
        for i, (ky, kx) in enumerate(offsets):
            top, left = py - ky * dy, px - kx * dx
            last = i == len(offsets) - 1
            channels = slice(i * group_size, None if last else (i + 1) * group_size)
            pieces.append(padded[:, channels, top:top + h, left:left + w])
        return self.xp.concat(pieces, axis=1),

    def backward(self, indexes, grad_outputs):
        dy, dx = self.dilate
        return Shift(self.ksize, (-dy, -dx)).apply(grad_outputs)


def shift(x: Any, ksize: Any = 3, dilate: Any = 1) -> Variable:
    """Shift function: each group of channels moves by one offset of a ``ksize`` window.

    The channels split into ``kh * kw`` groups; each group is shifted
    spatially (with zero fill) by one offset of the dilated window, so that a
    following 1x1 convolution sees a ``kh x kw`` neighbourhood.

    Args:
        x: Input variable of shape ``(N, C, H, W)`` with ``C >= kh * kw``.
        ksize: Window size: an odd int or a pair ``(kh, kw)`` of odd ints.
        dilate: Spacing of the window: an int or a pair ``(dy, dx)``.

    Returns:
        A variable of the shape of ``x``.
    """
    kh, kw = _pair(ksize, 'ksize')
    if kh % 2 != 1 or kw % 2 != 1:
        raise ValueError(f'shift: expected odd kernel sizes, received ksize={ksize!r}')
    dy, dx = _pair(dilate, 'dilate')
    if dy == 0 or dx == 0:
        raise ValueError(f'shift: expected a non-zero dilate, received dilate={dilate!r}')
    return Shift((kh, kw), (dy, dx)).apply((x,))[0]
