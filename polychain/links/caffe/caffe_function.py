"""CaffeFunction: a Chain built from a binary Caffe model, run layer by layer on Variables."""

from __future__ import annotations

import functools
import operator
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import numpy

from polychain import configuration, functions
from polychain.link import Chain
from polychain.links.caffe import caffe_pb
from polychain.links.connection.convolution_2d import Convolution2D
from polychain.links.connection.deconvolution_2d import Deconvolution2D
from polychain.links.connection.linear import Linear
from polychain.links.connection.scale import Scale
from polychain.links.normalization.batch_normalization import BatchNormalization
from polychain.utils.argument import parse_kwargs

#: Caffe layer type -> the method of CaffeFunction that sets it up.
_SETUP: dict[str, Callable[[CaffeFunction, Any], None]] = {}
#: V1LayerParameter.LayerType value -> the same methods, for models of Caffe's old format.
_SETUP_V1: dict[int, Callable[[CaffeFunction, Any], None]] = {}


def _layer(type_name: str, v1_name: str | None) -> Callable[[Callable], Callable]:
    def register(method: Callable) -> Callable:
        _SETUP[type_name] = method
        if v1_name is not None:
            _SETUP_V1[caffe_pb.V1LayerParameter.LAYER_TYPE[v1_name]] = method
        return method
    return register


class CaffeFunction(Chain):
    """Caffe emulator based on the model file of Caffe.

    Given a binary Caffe model (``.caffemodel``, a serialized ``NetParameter``),
    this Chain holds its parameterised layers as child links (named as the
    Caffe layers) and, when called, interprets the network layer by layer on
    Variables, so that the computation can be backpropagated as usual.

    Ignored when calling: layers of unsupported types (with a warning when the
    model is read; data layers silently), layers without top blobs, and layers
    whose bottom blobs are not all given or computed.

    Args:
        model_path: Path to the binary-proto model file of Caffe.

    Attributes:
        forwards (dict): Layer names -> the functions they apply.
        layers (list): ``(layer name, bottom blob names, top blob names)``, in order.
        split_map (dict): Tops of ``Split`` layers -> the blob they copy.
    """

    def __init__(self, model_path: str) -> None:
        super().__init__()
        net = caffe_pb.NetParameter()
        with open(model_path, 'rb') as model_file:
            net.MergeFromString(model_file.read())
        self.forwards: dict[str, Callable[..., Any]] = {}
        self.split_map: dict[str, str] = {}
        self.layers: list[tuple[str, list[str], list[str]]] = []
        if len(net.layer):
            for layer in net.layer:
                setup = _SETUP.get(layer.type)
                if setup is None:
                    warnings.warn(f'Skip the layer "{layer.name}", since CaffeFunction does not '
                                  f'support {layer.type} layer', stacklevel=2)
                else:
                    setup(self, layer)
        else:  # Caffe's V1 format
            for layer in net.layers:
                setup = _SETUP_V1.get(layer.type)
                if setup is None:
                    warnings.warn(f'Skip the layer "{layer.name}", since CaffeFunction does not '
                                  'support it', stacklevel=2)
                else:
                    setup(self, layer)

    def forward(self, inputs: dict[str, Any], outputs: Iterable[str],
                disable: Iterable[str] = (), **kwargs: Any) -> tuple[Any, ...]:
        """forward(self, inputs, outputs, disable=())

        Executes a sub-network of the network: each layer runs once its bottom
        blobs are given or computed, and its outputs become the top blobs.

        Args:
            inputs (dict): Blob names -> the Variables (or arrays) they start as.
            outputs (Iterable): Names of the blobs to return.
            disable (Iterable): Names of layers to skip.

        Returns:
            tuple: The Variables of the blobs ``outputs`` names, in that order.

        Raises:
            ValueError: ``train`` is given (use ``polychain.using_config``).
        """
        parse_kwargs(kwargs, train='train argument is not supported anymore. '
                                   'Use chainer.using_config')
        variables = dict(inputs)
        disable = set(disable)
        for name, bottom, top in self.layers:
            if name in disable or name not in self.forwards or \
                    any(blob not in variables for blob in bottom):
                continue
            output = self.forwards[name](*(variables[blob] for blob in bottom))
            if not isinstance(output, (tuple, list)):
                output = (output,)
            variables.update(zip(top, output))
        self.variables = variables
        return tuple(variables[blob] for blob in outputs)

    # -- the layers -------------------------------------------------------------------------
    def _add_layer(self, layer: Any, forward: Callable[..., Any]) -> None:
        self.forwards[layer.name] = forward
        bottom = [self.split_map.get(blob, blob) for blob in layer.bottom]
        self.layers.append((layer.name, bottom, list(layer.top)))

    def _add_link(self, layer: Any, link: Any,
                  wrap: Callable[[Callable[..., Any]], Callable[..., Any]] | None = None) -> None:
        with self.init_scope():
            setattr(self, layer.name, link)
        call = functools.partial(_call_child, self, layer.name)
        self._add_layer(layer, wrap(call) if wrap else call)

    @_layer('Concat', 'CONCAT')
    def _setup_concat(self, layer: Any) -> None:
        param = layer.concat_param
        axis = param.concat_dim if param.axis == 1 and param.concat_dim != 1 else param.axis
        self._add_layer(layer, _OnTuple(functions.concat, axis=axis))

    @_layer('Convolution', 'CONVOLUTION')
    def _setup_convolution(self, layer: Any) -> None:
        param, blobs = layer.convolution_param, layer.blobs
        n_in, n_out = _channels(blobs[0]) * param.group, _num(blobs[0])
        self._add_link(layer, Convolution2D(
            n_in, n_out, _ksize(param), _stride(param), _pad(param),
            nobias=not param.bias_term,
            initialW=_grouped_filter(blobs[0], (n_out, n_in), param.group, _ksize_pair(param)),
            initial_bias=_array(blobs[1]) if param.bias_term else None))

    @_layer('Deconvolution', 'DECONVOLUTION')
    def _setup_deconvolution(self, layer: Any) -> None:
        param, blobs = layer.convolution_param, layer.blobs
        n_in, n_out = _num(blobs[0]), _channels(blobs[0]) * param.group
        self._add_link(layer, Deconvolution2D(
            n_in, n_out, _ksize(param), _stride(param), _pad(param),
            nobias=not param.bias_term,
            initialW=_grouped_filter(blobs[0], (n_in, n_out), param.group, _ksize_pair(param)),
            initial_bias=_array(blobs[1]) if param.bias_term else None))

    @_layer('Data', 'DATA')
    def _setup_data(self, layer: Any) -> None:
        """Data layers feed Caffe's solver: skipped without a warning."""

    @_layer('Dropout', 'DROPOUT')
    def _setup_dropout(self, layer: Any) -> None:
        self._add_layer(layer, functools.partial(
            functions.dropout, ratio=layer.dropout_param.dropout_ratio))

    @_layer('InnerProduct', 'INNER_PRODUCT')
    def _setup_inner_product(self, layer: Any) -> None:
        param = layer.inner_product_param
        if param.axis != 1:
            raise RuntimeError('Non-default axis in InnerProduct is not supported')
        blob = layer.blobs[0]
        out_size, in_size = _height(blob), _width(blob)
        self._add_link(layer, Linear(
            in_size, out_size, nobias=not param.bias_term,
            initialW=_array(blob).reshape(out_size, in_size),
            initial_bias=_array(layer.blobs[1]) if param.bias_term else None))

    @_layer('LRN', 'LRN')
    def _setup_lrn(self, layer: Any) -> None:
        param = layer.lrn_param
        if param.norm_region != param.ACROSS_CHANNELS:
            raise RuntimeError('Within-channel LRN is not supported')
        self._add_layer(layer, functools.partial(
            functions.local_response_normalization, n=param.local_size, k=param.k,
            alpha=param.alpha / param.local_size, beta=param.beta))

    @_layer('Pooling', 'POOLING')
    def _setup_pooling(self, layer: Any) -> None:
        param = layer.pooling_param
        if param.pool == param.MAX:
            pooling = functions.max_pooling_2d
        elif param.pool == param.AVE:
            pooling = functions.average_pooling_2d
        else:
            raise RuntimeError('Stochastic pooling is not supported')
        ksize, stride, pad = _ksize(param), _stride(param), _pad(param)
        if param.global_pooling and not ksize:
            forward = functools.partial(_global_pooling, pooling, stride=stride, pad=pad)
        else:
            forward = _AfterFirst(pooling, ksize, stride=stride, pad=pad)
        self._add_layer(layer, forward)

    @_layer('ReLU', 'RELU')
    def _setup_relu(self, layer: Any) -> None:
        slope = layer.relu_param.negative_slope
        self._add_layer(layer, functools.partial(functions.leaky_relu, slope=slope) if slope
                        else functions.relu)

    @_layer('Reshape', None)
    def _setup_reshape(self, layer: Any) -> None:
        self._add_layer(layer, functools.partial(
            functions.reshape, shape=list(layer.reshape_param.shape.dim)))

    @_layer('BatchNorm', None)
    def _setup_batchnorm(self, layer: Any) -> None:
        blobs, param = layer.blobs, layer.batch_norm_param
        mean, var = _array(blobs[0]), _array(blobs[1])
        if len(blobs) >= 3:  # Caffe keeps sums: the third blob is their scale factor
            factor = float(_array(blobs[2])[0])
            scale = 0.0 if factor == 0 else 1.0 / factor
            mean, var = mean * scale, var * scale
        link = BatchNormalization(int(blobs[0].shape.dim[0]),
                                  decay=param.moving_average_fraction, eps=param.eps,
                                  use_gamma=False, use_beta=False,
                                  initial_avg_mean=mean, initial_avg_var=var)
        wrap = _TestMode if param.use_global_stats else _AfterFirst
        self._add_link(layer, link, lambda call: wrap(call, finetune=False))

    @_layer('Eltwise', 'ELTWISE')
    def _setup_eltwise(self, layer: Any) -> None:
        param = layer.eltwise_param
        self._add_layer(layer, _Eltwise(param.operation, list(param.coeff) or None))

    @_layer('Scale', None)
    def _setup_scale(self, layer: Any) -> None:
        blobs, param = layer.blobs, layer.scale_param
        if len(layer.bottom) == 1:  # the scale is the layer's parameter
            link = Scale(param.axis, tuple(blobs[0].shape.dim), param.bias_term)
            link.W.array = _array(blobs[0]).reshape(link.W.shape)
            bias_blob = blobs[1] if param.bias_term else None
        else:  # the scale is the second bottom
            shape = tuple(blobs[0].shape.dim) if param.bias_term else None
            link = Scale(param.axis, bias_term=param.bias_term, bias_shape=shape)
            bias_blob = blobs[0] if param.bias_term else None
        if bias_blob is not None:
            link.bias.b.array = _array(bias_blob).reshape(link.bias.b.shape)
        self._add_link(layer, link)

    @_layer('Slice', 'SLICE')
    def _setup_slice(self, layer: Any) -> None:
        param = layer.slice_param
        if param.HasField('axis'):
            axis = param.axis
        elif param.HasField('slice_dim'):
            axis = param.slice_dim
        else:
            axis = 1
        sections = list(param.slice_point) if len(param.slice_point) else len(layer.top)
        self._add_layer(layer, functools.partial(
            functions.split_axis, indices_or_sections=sections, axis=axis))

    @_layer('Softmax', 'SOFTMAX')
    def _setup_softmax(self, layer: Any) -> None:
        if layer.softmax_param.axis != 1:
            raise RuntimeError('Softmax along non-channel axis is not supported')
        self._add_layer(layer, functions.softmax)

    @_layer('Sigmoid', 'SIGMOID')
    def _setup_sigmoid(self, layer: Any) -> None:
        self._add_layer(layer, functions.sigmoid)

    @_layer('SoftmaxWithLoss', 'SOFTMAX_LOSS')
    def _setup_softmax_with_loss(self, layer: Any) -> None:
        if layer.softmax_param.axis != 1:
            raise RuntimeError('Softmax along non-channel axis is not supported')
        self._add_layer(layer, functions.softmax_cross_entropy)

    @_layer('Split', 'SPLIT')
    def _setup_split(self, layer: Any) -> None:
        for top in layer.top:
            self.split_map[top] = layer.bottom[0]


# -- the functions the layers apply --------------------------------------------------------------

def _call_child(chain: Chain, name: str, *xs: Any, **kwargs: Any) -> Any:
    return chain[name](*xs, **kwargs)


def _global_pooling(pooling: Callable[..., Any], x: Any, stride: Any, pad: Any) -> Any:
    """Pooling over the whole feature map (Caffe's ``global_pooling`` without a kernel size)."""
    return pooling(x, x.shape[2:], stride=stride, pad=pad)


class _AfterFirst:
    """``function(x, *args, **kwargs)``: the blob first, then the layer's arguments."""

    def __init__(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.function, self.args, self.kwargs = function, args, kwargs

    def __call__(self, x: Any) -> Any:
        return self.function(x, *self.args, **self.kwargs)


class _OnTuple(_AfterFirst):
    """``function(xs, **kwargs)``: all bottoms as one tuple (as ``concat`` takes them)."""

    def __call__(self, *xs: Any) -> Any:
        return self.function(xs, *self.args, **self.kwargs)


class _TestMode(_AfterFirst):
    """The function run with ``config.train`` off (BatchNorm with ``use_global_stats``)."""

    def __call__(self, x: Any) -> Any:
        with configuration.using_config('train', False):
            return super().__call__(x)


class _Eltwise:
    """Caffe's ``Eltwise``: product, (weighted) sum or maximum of the bottoms."""

    def __init__(self, operation: int, coeffs: list[float] | None = None) -> None:
        if coeffs is not None:
            assert len(coeffs) > 0
        self.operation, self.coeffs = operation, coeffs

    def __call__(self, *xs: Any) -> tuple[Any]:
        if self.operation == caffe_pb.EltwiseParameter.PROD:
            return functools.reduce(operator.mul, xs),
        if self.operation == caffe_pb.EltwiseParameter.SUM:
            if self.coeffs is not None:
                assert len(xs) == len(self.coeffs)
                xs = tuple(x * coeff for x, coeff in zip(xs, self.coeffs))
            return functools.reduce(operator.add, xs),
        if self.operation == caffe_pb.EltwiseParameter.MAX:
            return functools.reduce(functions.maximum, xs),
        raise ValueError('Invalid EltwiseParameter.EltwiseOp value.')


# -- reading blobs and layer parameters ---------------------------------------------------------

def _array(blob: Any) -> numpy.ndarray:
    """The values of a blob, flat, as float32 (from ``data``, else ``double_data``)."""
    data = blob.data if len(blob.data) or not len(blob.double_data) else blob.double_data
    return numpy.asarray(data, numpy.float32)


def _grouped_filter(blob: Any, channels: tuple[int, int], group: int,
                    ksize: tuple[int, int]) -> numpy.ndarray:
    """A dense ``(channels[0], channels[1], kh, kw)`` filter from Caffe's grouped one: group
    ``i`` fills the ``i``-th diagonal block, the rest is zero (as Chainer reads it)."""
    data = _array(blob)
    W = numpy.zeros(channels + ksize, numpy.float32)  # noqa: N806
    part_a, part_b = channels[0] // group, channels[1] // group
    part = len(data) // group
    for i in range(group):
        W[i * part_a:(i + 1) * part_a, i * part_b:(i + 1) * part_b] = \
            data[i * part:(i + 1) * part].reshape((part_a, part_b) + ksize)
    return W


def _size(param: Any, prefix: str, single: str, default: int) -> Any:
    """Caffe's ``<prefix>_h``/``<prefix>_w`` pair, else ``single`` (one value or repeated),
    else ``default``: an int or a tuple, as Chainer's CaffeFunction passes them on."""
    h, w = getattr(param, f'{prefix}_h'), getattr(param, f'{prefix}_w')
    if h > 0 or (prefix == 'pad' and w > 0):
        return h, w
    value = getattr(param, single)
    if isinstance(value, int):
        return value
    values = list(value)
    if not values:
        return default
    return values[0] if len(values) == 1 else tuple(values)


def _ksize(param: Any) -> Any:
    return _size(param, 'kernel', 'kernel_size', 0)


def _ksize_pair(param: Any) -> tuple[int, int]:
    ksize = _ksize(param)
    return (ksize, ksize) if isinstance(ksize, int) else tuple(ksize)


def _stride(param: Any) -> Any:
    return _size(param, 'stride', 'stride', 1)


def _pad(param: Any) -> Any:
    return _size(param, 'pad', 'pad', 0)


def _num(blob: Any) -> int:
    return int(blob.num) if blob.num > 0 else int(blob.shape.dim[0])


def _channels(blob: Any) -> int:
    return int(blob.channels) if blob.channels > 0 else int(blob.shape.dim[1])


def _matrix_dim(blob: Any, attribute: str, axis_2d: int, axis_4d: int) -> int:
    if getattr(blob, attribute) > 0:
        return int(getattr(blob, attribute))
    dims = list(blob.shape.dim)
    if len(dims) == 2:
        return int(dims[axis_2d])
    if len(dims) == 4:
        return int(dims[axis_4d])
    raise RuntimeError(f'{len(dims)}-dimentional array is not supported')


def _height(blob: Any) -> int:
    return _matrix_dim(blob, 'height', 0, 2)


def _width(blob: Any) -> int:
    return _matrix_dim(blob, 'width', 1, 3)
