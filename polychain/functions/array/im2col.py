"""im2col: image patches as channels, and its adjoint col2im."""

from __future__ import annotations

from typing import Any

from polychain.function_node import FunctionNode
from polychain.utils.windows import WindowGeometry, add_patches, as_tuple, extract_patches
from polychain.variable import Variable


class Im2Col(FunctionNode):
    """Extracts patches: ``(N, C, H, W)`` to ``(N, C * kh * kw, out_h, out_w)``."""

    def __init__(self, ksize, stride, pad, cover_all, dilate) -> None:
        self.params = (ksize, stride, pad, cover_all, dilate)

    def forward(self, inputs):
        x, = inputs
        ksize, stride, pad, cover_all, dilate = self.params
        geometry = self.geometry = WindowGeometry(tuple(x.shape[2:]), ksize, stride, pad,
                                                  cover_all, dilate, 'im2col')
        cols = extract_patches(self.device, x, geometry)
        n, c = x.shape[:2]
        return self.xp.reshape(cols, (n, c * ksize[0] * ksize[1]) + geometry.out_size),

    def backward(self, indexes, grad_outputs):
        return Col2Im(self.params, self.geometry).apply(grad_outputs)


class Col2Im(FunctionNode):
    """The adjoint of :class:`Im2Col`: adds each patch back where it was read."""

    def __init__(self, params, geometry: WindowGeometry) -> None:
        self.params = params
        self.geometry = geometry

    def forward(self, inputs):
        gcol, = inputs
        geometry = self.geometry
        kh, kw = geometry.ksize
        n, c = gcol.shape[0], gcol.shape[1] // (kh * kw)
        gcol = self.xp.reshape(gcol, (n, c, kh, kw) + geometry.out_size)
        return add_patches(self.device, gcol, geometry),

    def backward(self, indexes, grad_outputs):
        ksize, stride, pad, cover_all, dilate = self.params
        return Im2Col(ksize, stride, pad, cover_all, dilate).apply(grad_outputs)


def im2col(x: Any, ksize: Any, stride: Any = 1, pad: Any = 0, cover_all: bool = False,
           dilate: Any = 1) -> Variable:
    """Extracts the patches of a convolution as channels.

    ``y[n, (c * kh + i) * kw + j, p, q] = x_padded[n, c, p * sy + i * dy, q * sx + j * dx]``.

    Args:
        x: Input variable or array of shape ``(N, C, H, W)``.
        ksize: Kernel size: an int or ``(kh, kw)``.
        stride: Stride: an int or ``(sy, sx)``.
        pad: Zero padding on both sides: an int or ``(ph, pw)``.
        cover_all: Add windows so that every input pixel is covered (more
            padding at the bottom and right, as Chainer's convolutions do).
        dilate: Dilation: an int or ``(dy, dx)``.

    Returns:
        A Variable of shape ``(N, C * kh * kw, out_h, out_w)``.
    """
    if x.ndim != 4:
        raise ValueError(f'im2col: expected an input of shape (N, C, H, W), received shape '
                         f'{tuple(x.shape)}')
    ksize, stride, pad, dilate = (as_tuple(value, 2, 'im2col', name) for value, name in
                                  ((ksize, 'ksize'), (stride, 'stride'), (pad, 'pad'),
                                   (dilate, 'dilate')))
    if min(ksize + stride + dilate) < 1 or min(pad) < 0:
        raise ValueError(f'im2col: expected positive ksize, stride and dilate and a '
                         f'non-negative pad, received ksize={ksize}, stride={stride}, '
                         f'dilate={dilate}, pad={pad}')
    return Im2Col(ksize, stride, pad, bool(cover_all), dilate).apply((x,))[0]
