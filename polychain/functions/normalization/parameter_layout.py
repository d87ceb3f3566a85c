"""Which axes a normalization averages over, and how its scale and shift line up with the input."""

from __future__ import annotations

from typing import Any

from polychain.utils.type_check import InvalidType


def statistics_axes(function: str, x_ndim: int, parameter_ndim: int,
                    axis: Any = None) -> tuple[int, ...]:
    """The sorted, non-negative axes of ``x`` that the statistics reduce.

    Args:
        function: The public function's name, for error messages.
        x_ndim: Number of dimensions of the input.
        parameter_ndim: Number of dimensions of ``gamma`` (used when ``axis`` is ``None``).
        axis: An int, a tuple of ints, or ``None`` for the first axis and those after the
            parameter's axes (Chainer's batch layout).
    """
    if axis is None:
        return (0,) + tuple(range(parameter_ndim + 1, x_ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    normalized = []
    for a in axes:
        if not isinstance(a, int) or not -x_ndim <= a < x_ndim:
            raise ValueError(f'{function}: expected axis entries in [{-x_ndim}, {x_ndim}) for '
                             f'an input of {x_ndim} dimensions, received axis={axis!r}')
        normalized.append(a % x_ndim)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f'{function}: expected distinct axes, received axis={axis!r}')
    return tuple(sorted(normalized))


def aligned_parameter_shape(x_shape: tuple[int, ...], axes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of a per-channel parameter reshaped to broadcast against ``x``.

    It keeps the length of every axis not in ``axes`` and has length 1 on those in ``axes``.
    """
    return tuple(1 if i in axes else n for i, n in enumerate(x_shape))


def check_channel_parameters(x_shape: tuple[int, ...], axes: tuple[int, ...],
                             parameters: dict[str, Any]) -> None:
    """Raises InvalidType unless the parameters have the channel shape and one dtype.

    The channel shape is ``x``'s shape without the axes in ``axes``. The
    parameters' dtype may differ from ``x``'s (float32 parameters of a float16
    input); the output has ``x``'s dtype.
    """
    channel_shape = tuple(n for i, n in enumerate(x_shape) if i not in axes)
    first_name, first = next(iter(parameters.items()))
    for name, array in parameters.items():
        if tuple(array.shape) != channel_shape:
            raise InvalidType(f'{name}.shape == {channel_shape} (x.shape {tuple(x_shape)} '
                              f'without the normalized axes {axes})',
                              f'{name}.shape == {tuple(array.shape)}')
        if array.dtype != first.dtype:
            raise InvalidType(f'{name}.dtype == {first_name}.dtype',
                              f'{array.dtype} != {first.dtype}')
