"""Array computations of (de)convolutions: a backend's fast kernel, or im2col + matmul.

The ``generic_*`` functions are written once against the Array API namespace
of the device; ``convolve`` and ``convolve_transpose`` use the kernels
``'convolution_nd'`` and ``'deconvolution_nd'`` of the device's backend where
it has them. Kernel contracts (bias excluded, outputs in the input's dtype):

- ``convolution_nd(x, W, stride, padding, dilate, groups)``: ``padding`` holds one
  ``(before, after)`` pair per spatial axis and the output length is
  ``(n + before + after - dilate * (k - 1) - 1) // stride + 1``;
- ``deconvolution_nd(x, W, stride, pad, outsize, dilate, groups)``: the adjoint of
  the convolution with symmetric ``pad`` of an input of spatial shape ``outsize``.
"""

from __future__ import annotations

from typing import Any

from polychain.backend import kernels
from polychain.functions.connection.convolution_geometry import ConvolutionSpec
from polychain.utils.windows import WindowGeometry, add_patches, extract_patches


def _prod(values: tuple[int, ...]) -> int:
    result = 1
    for n in values:
        result *= n
    return result


def _grouped_patches(device: Any, x: Any, geometry: WindowGeometry,
                     groups: int) -> Any:
    """Windows of ``x`` as ``(N, groups, C / groups * prod(ksize), prod(out_size))``."""
    xp = device.namespace
    cols = extract_patches(device, x, geometry)
    n, c = x.shape[:2]
    return xp.reshape(cols, (n, groups, c // groups * _prod(geometry.ksize),
                             _prod(geometry.out_size)))


def generic_convolve(device: Any, x: Any, W: Any, spec: ConvolutionSpec,  # noqa: N803
                     geometry: WindowGeometry) -> Any:
    """Convolution of ``x`` (N, C, *in) by ``W`` (O, C / groups, *k): (N, O, *out)."""
    xp = device.namespace
    cols = _grouped_patches(device, x, geometry, spec.groups)
    out_channels = W.shape[0]
    w = xp.reshape(W, (spec.groups, out_channels // spec.groups, cols.shape[2]))
    y = xp.matmul(w, cols)
    return xp.reshape(y, (x.shape[0], out_channels) + geometry.out_size)


def generic_convolve_transpose(device: Any, x: Any, W: Any,  # noqa: N803
                               spec: ConvolutionSpec, geometry: WindowGeometry) -> Any:
    """Deconvolution of ``x`` (N, C, *in) by ``W`` (C, O / groups, *k): (N, O, *outsize).

    ``geometry`` describes the windows of the matching convolution, whose input
    has the spatial shape ``outsize`` and whose output has that of ``x``.
    """
    xp = device.namespace
    n, in_channels = x.shape[:2]
    groups = spec.groups
    out_channels = W.shape[1] * groups
    w = xp.reshape(W, (groups, in_channels // groups, W.shape[1] * _prod(geometry.ksize)))
    xs = xp.reshape(x, (n, groups, in_channels // groups, _prod(geometry.out_size)))
    cols = xp.matmul(xp.matrix_transpose(w), xs)
    cols = xp.reshape(cols, (n, out_channels) + tuple(geometry.ksize) + geometry.out_size)
    return add_patches(device, cols, geometry)


def generic_filter_grad(device: Any, x: Any, gy: Any, spec: ConvolutionSpec,
                        geometry: WindowGeometry) -> Any:
    """Gradient of a convolution's filter: from ``x`` (N, C, *in) and ``gy`` (N, O, *out)."""
    xp = device.namespace
    groups = spec.groups
    cols = _grouped_patches(device, x, geometry, groups)
    n, out_channels = gy.shape[:2]
    g = xp.reshape(gy, (n, groups, out_channels // groups, cols.shape[3]))
    # Batch and positions together form the contracted axis.
    cols = xp.reshape(xp.permute_dims(cols, (1, 2, 0, 3)), (groups, cols.shape[2], -1))
    g = xp.reshape(xp.permute_dims(g, (1, 2, 0, 3)), (groups, out_channels // groups, -1))
    gw = xp.matmul(g, xp.matrix_transpose(cols))
    return xp.reshape(gw, (out_channels, x.shape[1] // groups) + tuple(geometry.ksize))


def _promoted(xp: Any, dtype: Any, *arrays: Any) -> tuple[Any, ...]:
    """``arrays`` cast to their common dtype with ``dtype``, the dtype of the result.

    Chainer accepts operands of different float dtypes (a float16 input with
    float32 weights): they are multiplied in the wider dtype and the result is
    cast to the dtype of the input it stands for.
    """
    common = xp.result_type(dtype, *(a.dtype for a in arrays))
    return tuple(xp.astype(a, common, copy=False) for a in arrays)


def _cast(xp: Any, y: Any, dtype: Any) -> Any:
    return y if y.dtype == dtype else xp.astype(y, dtype)


def convolve(device: Any, x: Any, W: Any, spec: ConvolutionSpec,  # noqa: N803
             geometry: WindowGeometry) -> Any:
    """Convolution through the backend's ``'convolution_nd'`` kernel, or the generic one.

    The result has ``x``'s dtype.
    """
    xp = device.namespace
    dtype = x.dtype
    if W.dtype != dtype:
        x, W = _promoted(xp, dtype, x, W)
    kernel = device.kernel(kernels.convolution_nd)
    if kernel is None:
        y = generic_convolve(device, x, W, spec, geometry)
    else:
        y = kernel(x, W, spec.stride, geometry.covering_padding, spec.dilate, spec.groups)
    return _cast(xp, y, dtype)


def convolve_transpose(device: Any, x: Any, W: Any,  # noqa: N803
                       spec: ConvolutionSpec, geometry: WindowGeometry) -> Any:
    """Deconvolution through the backend's ``'deconvolution_nd'`` kernel, or the generic one.

    The result has ``x``'s dtype.
    """
    xp = device.namespace
    dtype = x.dtype
    if W.dtype != dtype:
        x, W = _promoted(xp, dtype, x, W)
    kernel = device.kernel(kernels.deconvolution_nd)
    if kernel is None:
        y = generic_convolve_transpose(device, x, W, spec, geometry)
    else:
        y = kernel(x, W, spec.stride, spec.pad, geometry.in_size, spec.dilate, spec.groups)
    return _cast(xp, y, dtype)


def filter_grad(device: Any, x: Any, gy: Any, spec: ConvolutionSpec,
                geometry: WindowGeometry, dtype: Any) -> Any:
    """Filter gradient through the backend's ``'convolution_filter_grad_nd'`` kernel, or the
    generic one, in the filter's ``dtype``."""
    xp = device.namespace
    if x.dtype != dtype or gy.dtype != dtype:
        x, gy = _promoted(xp, dtype, x, gy)
    kernel = device.kernel(kernels.convolution_filter_grad_nd)
    if kernel is None:
        gw = generic_filter_grad(device, x, gy, spec, geometry)
    else:
        gw = kernel(x, gy, tuple(geometry.ksize), spec.stride, geometry.covering_padding,
                    spec.dilate, spec.groups)
    return _cast(xp, gw, dtype)


def add_bias(xp: Any, y: Any, b: Any) -> Any:
    """``y`` (N, C, *spatial) plus the per-channel bias ``b`` (C,)."""
    return y + xp.reshape(b, (1, b.shape[0]) + (1,) * (y.ndim - 2))
