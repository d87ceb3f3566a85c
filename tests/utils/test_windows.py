"""``polychain.utils.windows`` and ``polychain.utils.axes``: one owner of windows and axes."""

from __future__ import annotations

import ast
import itertools
import pathlib

import numpy
import pytest

import polychain
from polychain.backend import to_host
from polychain.utils import axes, windows

# (input shape, ksize, stride, pad, cover_all, dilate)
GEOMETRIES = [
    ((2, 3, 7, 6), (3, 2), (2, 1), (1, 0), False, (1, 1)),
    ((1, 2, 5, 4), (2, 2), (3, 2), (1, 1), True, (1, 1)),
    ((1, 2, 8), (3,), (2,), (0,), True, (2,)),
    ((1, 1, 4, 5, 3), (2, 2, 2), (1, 2, 1), (1, 0, 1), False, (1, 1, 1)),
]


def _geometry(shape, ksize, stride, pad, cover_all, dilate):
    return windows.WindowGeometry(shape[2:], ksize, stride, pad, cover_all, dilate)


def _reference_patches(x, geometry, pad_value):
    """The windows of ``x`` read one element at a time on the host."""
    big = numpy.pad(x, [(0, 0), (0, 0)] + [(b, max(a, 0)) for b, a in geometry.padding],
                    constant_values=pad_value)
    cols = numpy.empty(x.shape[:2] + geometry.ksize + geometry.out_size, x.dtype)
    for k in itertools.product(*(range(n) for n in geometry.ksize)):
        for o in itertools.product(*(range(n) for n in geometry.out_size)):
            where = tuple(oi * s + ki * d for oi, ki, s, d in
                          zip(o, k, geometry.stride, geometry.dilate))
            cols[(slice(None), slice(None)) + k + o] = big[(slice(None), slice(None)) + where]
    return cols


@pytest.mark.parametrize('params', GEOMETRIES, ids=str)
@pytest.mark.parametrize('pad_value', [0.0, -5.0])
def test_extract_patches_reads_every_window(device, params, pad_value):
    x = numpy.random.RandomState(0).uniform(-1, 1, params[0])
    geometry = _geometry(*params)
    cols = windows.extract_patches(device, device.send(x), geometry, pad_value)
    numpy.testing.assert_array_equal(to_host(cols), _reference_patches(x, geometry, pad_value))


@pytest.mark.parametrize('params', GEOMETRIES, ids=str)
def test_both_adjoints_are_the_adjoint_of_extract_patches(device, params):
    rng = numpy.random.RandomState(1)
    x = rng.uniform(-1, 1, params[0])
    geometry = _geometry(*params)
    cols = rng.uniform(-1, 1, x.shape[:2] + geometry.ksize + geometry.out_size)
    expected = numpy.vdot(to_host(windows.extract_patches(device, device.send(x), geometry)),
                          cols)
    adjoints = [windows.add_patches]
    if set(geometry.dilate) == {1}:
        adjoints.append(windows.spread_patches)
    for adjoint in adjoints:
        gx = to_host(adjoint(device, device.send(cols), geometry))
        assert gx.shape == x.shape
        numpy.testing.assert_allclose(numpy.vdot(x, gx), expected, rtol=1e-12)


def test_a_window_that_does_not_fit_names_the_function():
    with pytest.raises(ValueError, match='^conv: expected a window of size'):
        windows.WindowGeometry((2,), (5,), (1,), (0,), False, (1,), 'conv')


@pytest.mark.parametrize('value, expected', [(2, (2, 2)), ((1, 3), (1, 3)), ([4, 5], (4, 5))])
def test_as_tuple_repeats_an_int_and_checks_a_sequence(value, expected):
    assert windows.as_tuple(value, 2, 'f', 'stride') == expected


@pytest.mark.parametrize('value', [(1, 2, 3), (1.0, 2), True, None, (True, 1)])
def test_as_tuple_rejects_anything_else_naming_the_function(value):
    with pytest.raises(ValueError, match=r'^f: expected an int or 2 ints as stride'):
        windows.as_tuple(value, 2, 'f', 'stride')


@pytest.mark.parametrize('axis, expected', [(None, None), (-1, (2,)), ((2, 0), (0, 2)),
                                            ((numpy.int64(1),), (1,))])
def test_reduction_axes_are_sorted_and_non_negative(axis, expected):
    assert axes.reduction_axes(axis, 3, 'sum') == expected


@pytest.mark.parametrize('axis, allow_tuple, error', [
    ([0], True, TypeError), ((0,), False, TypeError), (1.0, True, TypeError),
    ((0, 3), True, axes.AxisOutOfRange), ((1, -2), True, ValueError)])
def test_reduction_axes_reject_what_the_reductions_reject(axis, allow_tuple, error):
    with pytest.raises(error, match='sum: '):
        axes.reduction_axes(axis, 3, 'sum', allow_tuple)


def test_window_and_axis_helpers_are_imported_by_public_names_only():
    """No module imports a private name of im2col, pooling or axes from another package."""
    root = pathlib.Path(polychain.__file__).parent
    owners = ('polychain.functions.array.im2col', 'polychain.functions.pooling._windows',
              'polychain.functions.array._axes', 'polychain.functions.array._padding',
              'polychain.functions.math.sum', 'polychain.utils.windows', 'polychain.utils.axes')
    offenders = []
    for path in root.rglob('*.py'):
        package = '.'.join(path.relative_to(root.parent).parts[:-1])
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in owners:
                same_package = node.module.rpartition('.')[0] == package
                private = [a.name for a in node.names if a.name.startswith('_')]
                if private or ('._' in node.module and not same_package):
                    offenders.append(f'{path.relative_to(root)}: {node.module} {private}')
    assert offenders == []
