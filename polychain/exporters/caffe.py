"""Export of a computational graph as a Caffe model (Chainer's ``chainer.exporters.caffe``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy

from polychain.backend import to_host
from polychain.configuration import force_backprop_mode, using_config
from polychain.function_hooks.function_hook import FunctionHook
from polychain.functions.activation.leaky_relu import LeakyReLU
from polychain.functions.activation.relu import ReLU
from polychain.functions.activation.sigmoid import Sigmoid
from polychain.functions.activation.softmax import Softmax
from polychain.functions.array.concat import Concat
from polychain.functions.array.reshape import Reshape
from polychain.functions.connection.convolution_2d import Convolution2DFunction
from polychain.functions.connection.deconvolution_2d import Deconvolution2DFunction
from polychain.functions.connection.linear import LinearFunction
from polychain.functions.math.basic_math import Add
from polychain.functions.normalization.batch_normalization import FixedBatchNormalization
from polychain.functions.normalization.local_response_normalization import (
    LocalResponseNormalization,
)
from polychain.functions.pooling._window_ops import MEAN, WindowSum
from polychain.functions.pooling.max_pooling import MaxPoolingND
from polychain.links.caffe import caffe_pb
from polychain.links.caffe.protobuf import to_text
from polychain.variable import Variable

PROTOTXT, CAFFEMODEL = 'chainer_model.prototxt', 'chainer_model.caffemodel'


class _InputRecorder(FunctionHook):
    """Keeps the input arrays of each function applied, in the order they ran."""

    name = 'CaffeExportInputRecorder'

    def __init__(self) -> None:
        self.inputs: dict[Any, tuple[Any, ...]] = {}

    def forward_preprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        self.inputs[function] = in_data


class _Layer:
    """The Caffe layer being written for one function: its message and its input arrays."""

    def __init__(self, message: Any, arrays: tuple[Any, ...], function: Any) -> None:
        self.message, self.arrays, self.function = message, arrays, function

    def array(self, index: int) -> numpy.ndarray:
        return numpy.asarray(to_host(self.arrays[index]), numpy.float32)

    def add_blob(self, array: numpy.ndarray, shape: tuple[int, ...] | None = None) -> None:
        blob = self.message.blobs.add()
        blob.shape.dim[:] = list(array.shape if shape is None else shape)
        blob.data[:] = numpy.ascontiguousarray(array, numpy.float32).ravel()

    def set(self, parameter: str, **values: Any) -> None:
        target = getattr(self.message, parameter)
        for name, value in values.items():
            setattr(target, name, value)


def _unsupported(layer: _Layer, why: str) -> None:
    raise NotImplementedError(f'caffe.export: cannot convert {type(layer.function).__name__} '
                              f'(layer {layer.message.name}): {why}')


def _inner_product(layer: _Layer) -> None:
    W = layer.array(1)  # noqa: N806
    has_bias = len(layer.arrays) > 2 and layer.arrays[2] is not None
    layer.set('inner_product_param', num_output=W.shape[0], bias_term=has_bias)
    layer.add_blob(W)
    if has_bias:
        layer.add_blob(layer.array(2))


def _convolution(layer: _Layer) -> None:
    spec = layer.function.spec
    if spec.dilate != (1, 1):
        _unsupported(layer, f'dilate={spec.dilate} (CaffeFunction reads no dilation)')
    W = layer.array(1)  # noqa: N806
    has_bias = len(layer.arrays) > 2 and layer.arrays[2] is not None
    deconvolution = isinstance(layer.function, Deconvolution2DFunction)
    num_output = W.shape[1] * spec.groups if deconvolution else W.shape[0]
    layer.set('convolution_param', num_output=num_output, bias_term=has_bias,
              pad_h=spec.pad[0], pad_w=spec.pad[1], stride_h=spec.stride[0],
              stride_w=spec.stride[1], kernel_h=W.shape[2], kernel_w=W.shape[3],
              group=spec.groups)
    layer.add_blob(W)
    if has_bias:
        layer.add_blob(layer.array(2))


def _pooling(layer: _Layer) -> None:
    geometry = layer.function.geometry
    if len(geometry.ksize) != 2:
        _unsupported(layer, f'{len(geometry.ksize)}-dimensional pooling')
    if isinstance(layer.function, WindowSum) and layer.function.scaling != MEAN:
        _unsupported(layer, f'window {layer.function.scaling} (Caffe averages over the '
                            'whole window)')
    pool = caffe_pb.PoolingParameter.AVE if isinstance(layer.function, WindowSum) \
        else caffe_pb.PoolingParameter.MAX
    (ph, _), (pw, _) = geometry.padding
    layer.set('pooling_param', pool=pool, pad_h=ph, pad_w=pw, stride_h=geometry.stride[0],
              stride_w=geometry.stride[1], kernel_h=geometry.ksize[0],
              kernel_w=geometry.ksize[1])


def _lrn(layer: _Layer) -> None:
    function = layer.function
    size = 2 * function.half + 1
    layer.set('lrn_param', norm_region=caffe_pb.LRNParameter.ACROSS_CHANNELS, local_size=size,
              k=function.k, alpha=function.alpha * size, beta=function.beta)


def _relu(layer: _Layer) -> None:
    if isinstance(layer.function, LeakyReLU):
        layer.set('relu_param', negative_slope=layer.function.negative_slope)


def _concat(layer: _Layer) -> None:
    layer.set('concat_param', axis=layer.function.axis)


def _softmax(layer: _Layer) -> None:
    if layer.function.axis != 1:
        _unsupported(layer, f'axis={layer.function.axis} (CaffeFunction reads axis 1 only)')


def _reshape(layer: _Layer) -> None:
    layer.message.reshape_param.shape.dim[:] = list(layer.function.shape)


def _nothing(layer: _Layer) -> None:
    """Layers without parameters (ReLU, Sigmoid, Eltwise's default sum)."""


#: Function class -> (Caffe layer type, Chainer's label (in layer names), writer of its
#: parameters; BatchNorm's is :meth:`_Net._batch_norm`, which adds a Scale layer).
_LAYERS: dict[type, tuple[str, str, Callable[[_Layer], None] | None]] = {
    LinearFunction: ('InnerProduct', 'LinearFunction', _inner_product),
    Convolution2DFunction: ('Convolution', 'Convolution2DFunction', _convolution),
    Deconvolution2DFunction: ('Deconvolution', 'Deconvolution2DFunction', _convolution),
    WindowSum: ('Pooling', 'AveragePooling2D', _pooling),
    MaxPoolingND: ('Pooling', 'MaxPoolingND', _pooling),
    LocalResponseNormalization: ('LRN', 'LocalResponseNormalization', _lrn),
    ReLU: ('ReLU', 'ReLU', _relu),
    LeakyReLU: ('ReLU', 'LeakyReLU', _relu),
    Concat: ('Concat', 'Concat', _concat),
    Softmax: ('Softmax', 'Softmax', _softmax),
    Sigmoid: ('Sigmoid', 'Sigmoid', _nothing),
    Reshape: ('Reshape', 'Reshape', _reshape),
    Add: ('Eltwise', '_ + _', _nothing),
    FixedBatchNormalization: ('BatchNorm', 'FixedBatchNormalization', None),
}
#: Layers that take only their first input as a bottom (the others are parameters).
_ONE_BOTTOM = ('InnerProduct', 'Convolution', 'Deconvolution', 'BatchNorm')


class _Net:
    """The layers of the graph, named as Chainer names them (``<label>-<rank>-<index>``)."""

    def __init__(self, name: str, recorded: dict[Any, tuple[Any, ...]]) -> None:
        self.net = caffe_pb.NetParameter(name=name)
        self.recorded = recorded
        self.names: dict[Any, str] = {}
        self.counts: dict[str, int] = {}

    def name_of(self, function: Any) -> str:
        """The layer name of ``function``; ``data`` for the input (made by no function, or by
        one applied before the export)."""
        if function is None or function not in self.recorded:
            return 'data'
        if function not in self.names:
            label = f'{_LAYERS[type(function)][1]}-{function.rank}'
            self.counts[label] = self.counts.get(label, 0) + 1
            self.names[function] = f'{label}-{self.counts[label]}'
        return self.names[function]

    def add(self, function: Any) -> None:
        entry = _LAYERS.get(type(function))
        if entry is None:
            raise NotImplementedError(
                f'caffe.export: cannot convert {type(function).__name__} ({function.label}); '
                f'supported: {", ".join(sorted({label for _, label, _ in _LAYERS.values()}))}')
        kind, _, write = entry
        name = self.name_of(function)
        bottom = [self.name_of(node.creator) for node in function.inputs]
        layer = self._layer(function, kind, name, bottom[:1] if kind in _ONE_BOTTOM else bottom)
        if write is None:
            self._batch_norm(layer, name)
        else:
            write(layer)

    def _layer(self, function: Any, kind: str, name: str, bottom: list[str]) -> _Layer:
        message = self.net.layer.add(name=name, type=kind, phase=caffe_pb.TEST)
        message.bottom[:] = bottom
        message.top[:] = [name]
        return _Layer(message, self.recorded[function], function)

    def _batch_norm(self, layer: _Layer, name: str) -> None:
        """BatchNorm (the statistics) then Scale (gamma and beta), as Caffe splits them."""
        function = layer.function
        if tuple(function.axes) != (0,) + tuple(range(2, layer.arrays[0].ndim)):
            _unsupported(layer, f'normalization over axes {function.axes} (Caffe normalizes '
                                'each channel of axis 1)')
        normalized = f'{name}_bn'
        layer.message.name = normalized
        layer.message.top[:] = [normalized]
        layer.set('batch_norm_param', use_global_stats=True, eps=function.eps)
        mean, var = layer.array(3), layer.array(4)
        layer.add_blob(mean, (mean.size,))
        layer.add_blob(var, (var.size,))
        layer.add_blob(numpy.ones(1, numpy.float32))
        scale = self._layer(function, 'Scale', name, [normalized])
        scale.set('scale_param', axis=1, bias_term=True)
        gamma, beta = scale.array(1), scale.array(2)
        scale.add_blob(gamma, (gamma.size,))
        scale.add_blob(beta, (beta.size,))


def _reachable(outputs: list[Variable], order: list[Any]) -> list[Any]:
    """The functions of ``order`` that the outputs depend on, in ``order``'s order."""
    needed, stack = set(), [v.creator for v in outputs if v.creator is not None]
    while stack:
        function = stack.pop()
        if function in needed:
            continue
        needed.add(function)
        stack.extend(node.creator for node in function.inputs if node.creator is not None)
    return [function for function in order if function in needed]


def export(model: Any, args: Any, directory: str | None = None, export_params: bool = True,
           graph_name: str = 'Graph') -> None:
    """(Experimental) Export a computational graph as Caffe format.

    The model runs once on ``args`` in test mode (``config.train`` off); the
    functions its output depends on become Caffe layers: ``linear``,
    ``convolution_2d``, ``deconvolution_2d``, ``max_pooling_2d``,
    ``average_pooling_2d``, ``batch_normalization`` (test mode: BatchNorm and
    Scale layers), ``local_response_normalization``, ``relu``, ``leaky_relu``,
    ``concat``, ``softmax``, ``sigmoid``, ``reshape`` and ``+`` (Eltwise). This
    exports at least GoogLeNet, ResNet and VGG.

    Args:
        model (~polychain.Chain): The model; ``model(*args)`` gives the output
            Variable (or a tuple or list of them).
        args (list of ~polychain.Variable): The one input of the model, in a list.
        directory (str): Where ``chainer_model.prototxt`` (the net definition)
            and ``chainer_model.caffemodel`` (the binary model with its
            parameters) are written. ``None`` writes nothing.
        export_params (bool): Write the ``.caffemodel`` too.
        graph_name (str): The ``name`` of the net in the Caffe model.

    Raises:
        NotImplementedError: ``args`` holds more than one input, or the graph
            has a function that has no Caffe layer.
    """
    assert isinstance(args, (tuple, list))
    if len(args) != 1:
        raise NotImplementedError('caffe.export: the model must take exactly one input, '
                                  f'received {len(args)} arguments')
    for arg in args:
        assert isinstance(arg, Variable)
    recorder = _InputRecorder()
    with force_backprop_mode(), using_config('train', False), recorder:
        output = model(*args)
    outputs = [output] if isinstance(output, Variable) else output
    assert isinstance(outputs, (tuple, list))
    for variable in outputs:
        assert isinstance(variable, Variable)

    net = _Net(graph_name, recorder.inputs)
    for function in _reachable(list(outputs), list(recorder.inputs)):
        net.add(function)
    if directory is None:
        return
    with open(os.path.join(directory, PROTOTXT), 'w') as prototxt:
        prototxt.write(_prototxt(net.net, args[0].shape))
    if export_params:
        with open(os.path.join(directory, CAFFEMODEL), 'wb') as caffemodel:
            caffemodel.write(net.net.SerializeToString())


def _prototxt(net: Any, input_shape: tuple[int, ...]) -> str:
    """The net definition: the ``Input`` layer ``data`` of ``input_shape``, then the layers
    without their blobs."""
    definition = caffe_pb.NetParameter(name=net.name)
    data = definition.layer.add(name='data', type='Input')
    data.top.append('data')
    data.input_param.shape.add().dim[:] = list(input_shape)
    text = to_text(definition)
    return text + ''.join('layer {\n' + to_text(layer, skip=('blobs',), indent=2) + '}\n'
                          for layer in net.layer)
