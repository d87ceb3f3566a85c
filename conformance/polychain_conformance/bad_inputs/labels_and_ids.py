"""Loss and gather functions fed out-of-range labels and ids (issue: nothing passes silently).

Each case sends small, valid scores and weights to the device and one label
or id outside its range; Chainer's error types are the reference: ValueError
for labels (its debug-mode checks), IndexError for ids and indexes (NumPy's).
"""

from __future__ import annotations

import numpy

import polychain.functions as F
import polychain.links as L
from polychain.backend import Device
from polychain_conformance.bad_inputs.registry import bad_input

_LABELS = 'out-of-range labels'
_IDS = 'out-of-range ids'


def _floats(device: Device, dtype: str, shape: tuple[int, ...]) -> object:
    values = numpy.linspace(-1.0, 1.0, int(numpy.prod(shape))).reshape(shape)
    return device.send(values.astype(dtype))


def _ints(device: Device, values: list) -> object:
    return device.send(numpy.array(values, dtype=numpy.int32))


def _register_each(name: str, label: str, raises: type[BaseException], kind: str,
                   bad_values: dict[str, list], call) -> None:
    """One case ``name[what]`` per entry of ``bad_values``, each calling ``call(device,
    dtype, values)``."""
    for what, values in bad_values.items():
        bad_input(f'{name}[{what}]', label, raises, kind, ('float32', 'float64'))(
            lambda device, dtype, values=values: call(device, dtype, values))


_register_each(
    'softmax_cross_entropy', 'F.softmax_cross_entropy', ValueError, _LABELS,
    {'label=n_class': [0, 3], 'label=-2': [-2, 1]},
    lambda device, dtype, t: F.softmax_cross_entropy(_floats(device, dtype, (2, 3)),
                                                     _ints(device, t)))
_register_each(
    'softmax_cross_entropy_ignore_label', 'F.softmax_cross_entropy', ValueError, _LABELS,
    {'label=-1 not ignored': [-1, 1]},
    lambda device, dtype, t: F.softmax_cross_entropy(_floats(device, dtype, (2, 3)),
                                                     _ints(device, t), ignore_label=255))
_register_each(
    'sigmoid_cross_entropy', 'F.sigmoid_cross_entropy', ValueError, _LABELS,
    {'label=2': [[0, 2], [1, 0]], 'label=-2': [[0, -2], [1, -1]]},
    lambda device, dtype, t: F.sigmoid_cross_entropy(_floats(device, dtype, (2, 2)),
                                                     _ints(device, t)))
_register_each(
    'hinge', 'F.hinge', IndexError, _LABELS,
    {'label=n_class': [0, 3], 'label=-1': [-1, 0]},
    lambda device, dtype, t: F.hinge(_floats(device, dtype, (2, 3)), _ints(device, t)))
_register_each(
    'embed_id', 'F.embed_id', IndexError, _IDS,
    {'id=n_vocab': [0, 4], 'id=-1': [-1, 0]},
    lambda device, dtype, x: F.embed_id(_ints(device, x), _floats(device, dtype, (4, 3))))
_register_each(
    'embed_id_ignore_label', 'F.embed_id', IndexError, _IDS,
    {'id=-2 with ignore_label=-1': [-1, -2]},
    lambda device, dtype, x: F.embed_id(_ints(device, x), _floats(device, dtype, (4, 3)),
                                        ignore_label=-1))
_register_each(
    'EmbedID', 'L.EmbedID', IndexError, _IDS,
    {'id=n_vocab': [1, 4]},
    lambda device, dtype, x: L.EmbedID(4, 3).to_device(device)(_ints(device, x)))
_register_each(
    'select_item', 'F.select_item', IndexError, _IDS,
    {'t=n': [0, 3], 't=-1': [-1, 0]},
    lambda device, dtype, t: F.select_item(_floats(device, dtype, (2, 3)), _ints(device, t)))
_register_each(
    'get_item_integer_array', 'F.get_item', IndexError, _IDS,
    {'index=n': [0, 2], 'index=-n-1': [-3, 0]},
    lambda device, dtype, i: F.get_item(_floats(device, dtype, (2, 3)), _ints(device, i)))
_register_each(
    'get_item_integer_array_axis_1', 'F.get_item', IndexError, _IDS,
    {'index=n': [0, 3]},
    lambda device, dtype, i: F.get_item(_floats(device, dtype, (2, 3)),
                                        (slice(None), _ints(device, i))))
_register_each(
    'negative_sampling', 'F.negative_sampling', IndexError, _IDS,
    {'t=n_vocab': [0, 5], 't=-2': [-2, 1]},
    lambda device, dtype, t: F.negative_sampling(
        _floats(device, dtype, (2, 3)), _ints(device, t), _floats(device, dtype, (5, 3)),
        lambda shape: device.send(numpy.zeros(shape, numpy.int32)), 2))
_register_each(
    'black_out', 'F.black_out', IndexError, _IDS,
    {'t=n_vocab': [0, 5], 't=-2': [-2, 1]},
    lambda device, dtype, t: F.black_out(
        _floats(device, dtype, (2, 3)), _ints(device, t), _floats(device, dtype, (5, 3)),
        _ints(device, [[1, 2], [3, 4]])))
_register_each(
    'crf1d', 'F.crf1d', IndexError, _IDS,
    {'label=n_label': [0, 3], 'label=-1': [-1, 0]},
    lambda device, dtype, y: F.crf1d(
        _floats(device, dtype, (3, 3)), [_floats(device, dtype, (2, 3))] * 2,
        [_ints(device, y), _ints(device, [0, 1])]))
