"""ResNet50Layers, ResNet101Layers and ResNet152Layers: Kaiming He's ImageNet residual
networks with Chainer's layer names, and their BuildingBlock, BottleneckA and BottleneckB."""

from __future__ import annotations

import string
import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from polychain.functions.activation.relu import relu
from polychain.functions.activation.softmax import softmax
from polychain.functions.array.reshape import reshape
from polychain.functions.pooling.average_pooling import average_pooling_2d
from polychain.functions.pooling.max_pooling import max_pooling_2d
from polychain.initializers import HeNormal, Zero
from polychain.link import Chain
from polychain.links.connection.convolution_2d import Convolution2D
from polychain.links.connection.linear import Linear
from polychain.links.model.vision.imagenet import ImageNetLayers, available, preparer
from polychain.links.normalization.batch_normalization import BatchNormalization

__all__ = ['BottleneckA', 'BottleneckB', 'BuildingBlock', 'ResNet101Layers',
           'ResNet152Layers', 'ResNet50Layers', 'ResNetLayers', 'available', 'prepare']

#: Bottlenecks per stage, by depth.
_BLOCKS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}
_MEAN_BGR = (103.063, 115.903, 123.152)
#: The Caffe branch of each convolution (and batch normalization) of a bottleneck, by number.
_CAFFE_BRANCHES = {1: '2a', 2: '2b', 3: '2c', 4: '1'}


#: Converts an RGB image to ResNet's input (see :func:`imagenet.preparer`).
prepare = preparer('ResNet', _MEAN_BGR)


def _max_pooling_2d(x: Any) -> Any:
    return max_pooling_2d(x, ksize=3, stride=2)


def _global_average_pooling_2d(x: Any) -> Any:
    n, channels, rows, cols = x.shape
    return reshape(average_pooling_2d(x, (rows, cols), stride=1), (n, channels))


class ResNetLayers(ImageNetLayers):
    """A residual network of 50, 101 or 152 layers (K. He et al., 2015).

    Layers ``conv1``, ``pool1``, ``res2`` ... ``res5``, ``pool5`` (global
    average pooling), ``fc6`` and ``prob``; any input size of at least 32.

    Args:
        pretrained_model (str): The path of an NPZ file of the model's weights,
            ``'auto'`` for Chainer's converted weights already in
            ``$CHAINER_DATASET_ROOT/pfnet/chainer/models``
            (``ResNet-<n_layers>-model.npz``; nothing is downloaded; the name
            of a ``.caffemodel`` file means the same, as in Chainer), or
            ``None`` for ``HeNormal`` weights.
        n_layers (int): 50, 101 or 152.
        downsample_fb (bool): Stride the 3x3 convolution of each downsampling
            bottleneck instead of its first 1x1 one (Facebook's variant).

    Raises:
        ValueError: Another ``n_layers``.
        FileNotFoundError: ``'auto'`` and the converted file is missing.
    """

    _extract_layers = ('pool5',)
    _prepare = staticmethod(prepare)
    #: The depth of the class's network (what ``convert_caffemodel_to_npz`` converts).
    _n_layers = 50

    def __init__(self, pretrained_model: str | None, n_layers: int,
                 downsample_fb: bool = False) -> None:
        super().__init__()
        if n_layers not in _BLOCKS:
            raise ValueError(f'ResNetLayers: the n_layers argument should be either 50, 101, '
                             f'or 152, but {n_layers} was given.')
        initialW = Zero() if pretrained_model else HeNormal(scale=1.0)
        blocks = _BLOCKS[n_layers]
        with self.init_scope():
            self.conv1 = Convolution2D(3, 64, 7, 2, 3, initialW=initialW)
            self.bn1 = BatchNormalization(64)
            self.res2 = BuildingBlock(blocks[0], 64, 64, 256, 1, initialW, downsample_fb)
            self.res3 = BuildingBlock(blocks[1], 256, 128, 512, 2, initialW, downsample_fb)
            self.res4 = BuildingBlock(blocks[2], 512, 256, 1024, 2, initialW, downsample_fb)
            self.res5 = BuildingBlock(blocks[3], 1024, 512, 2048, 2, initialW, downsample_fb)
            self.fc6 = Linear(2048, 1000)
        # As in Chainer, the name of a Caffe model reads the converted file of the cache.
        caffemodel = bool(pretrained_model) and pretrained_model.endswith('.caffemodel')
        self._load_pretrained(pretrained_model, f'ResNet-{n_layers}-model.npz', caffemodel)

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel: str, path_npz: str,
                                  n_layers: int | None = None) -> None:
        """See :meth:`ImageNetLayers.convert_caffemodel_to_npz`; the Caffe model is Kaiming
        He's ``ResNet-<n_layers>-model.caffemodel``.

        Args:
            path_caffemodel (str): The ``.caffemodel`` file.
            path_npz (str): The NPZ file to write.
            n_layers (int): 50, 101 or 152; by default the class's (50 for ResNetLayers).
        """
        cls._convert_caffemodel(path_caffemodel, path_npz,
                                ResNetLayers(None, n_layers or cls._n_layers))

    def _caffe_layers(self) -> list[tuple[str, str | tuple[str, str]]]:
        """Caffe's names: ``res<block>_branch<branch>`` with its ``bn`` and ``scale`` twins,
        blocks lettered in a stage (``4a``, ``4b``, ...), or ``4a``, ``4b1``, ``4b2``, ... in
        a stage of more than six."""
        layers: list[tuple[str, str | tuple[str, str]]] = [
            ('conv1', 'conv1'), ('bn1', ('bn_conv1', 'scale_conv1')), ('fc6', 'fc1000')]
        for stage in range(2, 6):
            children = self[f'res{stage}']._forward
            for index, child in enumerate(children):
                block = f'{stage}{child if len(children) > 6 else string.ascii_lowercase[index]}'
                for number, branch in _CAFFE_BRANCHES.items():
                    if hasattr(self[f'res{stage}'][child], f'conv{number}'):
                        path, suffix = f'res{stage}/{child}', f'{block}_branch{branch}'
                        layers += [(f'{path}/conv{number}', f'res{suffix}'),
                                   (f'{path}/bn{number}', (f'bn{suffix}', f'scale{suffix}'))]
        return layers

    @property
    def functions(self) -> OrderedDict[str, list[Callable[[Any], Any]]]:
        return OrderedDict([
            ('conv1', [self.conv1, self.bn1, relu]),
            ('pool1', [_max_pooling_2d]),
            ('res2', [self.res2]),
            ('res3', [self.res3]),
            ('res4', [self.res4]),
            ('res5', [self.res5]),
            ('pool5', [_global_average_pooling_2d]),
            ('fc6', [self.fc6]),
            ('prob', [softmax]),
        ])


class ResNet50Layers(ResNetLayers):
    """ResNet with 50 layers (see :class:`ResNetLayers`).

    Args:
        pretrained_model (str): An NPZ path, ``'auto'`` or ``None``.
        downsample_fb (bool): Facebook's downsampling variant.
    """

    def __init__(self, pretrained_model: str | None = 'auto',
                 downsample_fb: bool = False) -> None:
        super().__init__(pretrained_model, self._n_layers, downsample_fb)


class ResNet101Layers(ResNetLayers):
    """ResNet with 101 layers (see :class:`ResNetLayers`).

    Args:
        pretrained_model (str): An NPZ path, ``'auto'`` or ``None``.
        downsample_fb (bool): Facebook's downsampling variant.
    """

    _n_layers = 101

    def __init__(self, pretrained_model: str | None = 'auto',
                 downsample_fb: bool = False) -> None:
        super().__init__(pretrained_model, self._n_layers, downsample_fb)


class ResNet152Layers(ResNetLayers):
    """ResNet with 152 layers (see :class:`ResNetLayers`).

    Args:
        pretrained_model (str): An NPZ path, ``'auto'`` or ``None``.
        downsample_fb (bool): Facebook's downsampling variant.
    """

    _n_layers = 152

    def __init__(self, pretrained_model: str | None = 'auto',
                 downsample_fb: bool = False) -> None:
        super().__init__(pretrained_model, self._n_layers, downsample_fb)


class BuildingBlock(Chain):
    """A stage of ResNet: a downsampling :class:`BottleneckA`, then ``n_layers - 1``
    :class:`BottleneckB` (children ``a``, ``b1``, ``b2``, ...).

    Args:
        n_layers (int): Bottlenecks in the stage.
        in_channels (int): Input channels.
        mid_channels (int): Channels inside the bottlenecks.
        out_channels (int): Output channels.
        stride (int): Stride of the downsampling bottleneck.
        initialW: Initializer of the convolutions' weights.
        downsample_fb (bool): Facebook's downsampling variant.
    """

    def __init__(self, n_layers: int | None = None, in_channels: int | None = None,
                 mid_channels: int | None = None, out_channels: int | None = None,
                 stride: int | None = None, initialW: Any = None,  # noqa: N803
                 downsample_fb: bool | None = None, **kwargs: Any) -> None:
        super().__init__()
        if 'n_layer' in kwargs:
            warnings.warn('Argument `n_layer` is deprecated. Please use `n_layers` instead',
                          DeprecationWarning, stacklevel=2)
            n_layers = kwargs.pop('n_layer')
        if kwargs:
            raise TypeError(f'BuildingBlock: unexpected keyword arguments {sorted(kwargs)}')
        with self.init_scope():
            self.a = BottleneckA(in_channels, mid_channels, out_channels, stride, initialW,
                                 bool(downsample_fb))
            self._forward = ['a']
            for i in range(1, n_layers):
                setattr(self, f'b{i}', BottleneckB(out_channels, mid_channels, initialW))
                self._forward.append(f'b{i}')

    def forward(self, x: Any) -> Any:
        for name in self._forward:
            x = getattr(self, name)(x)
        return x


def _conv_bn(in_channels: int, out_channels: int, ksize: int, stride: int, pad: int,
             initial_w: Any) -> tuple[Convolution2D, BatchNormalization]:
    return (Convolution2D(in_channels, out_channels, ksize, stride, pad, initialW=initial_w,
                          nobias=True), BatchNormalization(out_channels))


class BottleneckA(Chain):
    """A bottleneck that changes the channels (and downsamples) with a projected shortcut.

    Args:
        in_channels (int): Input channels.
        mid_channels (int): Channels of the 1x1-3x3 path.
        out_channels (int): Output channels.
        stride (int): Downsampling stride.
        initialW: Initializer of the convolutions' weights.
        downsample_fb (bool): Stride the 3x3 convolution instead of the first 1x1.
    """

    def __init__(self, in_channels: int, mid_channels: int, out_channels: int,
                 stride: int = 2, initialW: Any = None,  # noqa: N803
                 downsample_fb: bool = False) -> None:
        super().__init__()
        stride_1x1, stride_3x3 = (1, stride) if downsample_fb else (stride, 1)
        with self.init_scope():
            self.conv1, self.bn1 = _conv_bn(in_channels, mid_channels, 1, stride_1x1, 0,
                                            initialW)
            self.conv2, self.bn2 = _conv_bn(mid_channels, mid_channels, 3, stride_3x3, 1,
                                            initialW)
            self.conv3, self.bn3 = _conv_bn(mid_channels, out_channels, 1, 1, 0, initialW)
            self.conv4, self.bn4 = _conv_bn(in_channels, out_channels, 1, stride, 0, initialW)

    def forward(self, x: Any) -> Any:
        h = relu(self.bn1(self.conv1(x)))
        h = relu(self.bn2(self.conv2(h)))
        h = self.bn3(self.conv3(h))
        return relu(h + self.bn4(self.conv4(x)))


class BottleneckB(Chain):
    """A bottleneck keeping the channels, with an identity shortcut.

    Args:
        in_channels (int): Input and output channels.
        mid_channels (int): Channels of the 1x1-3x3 path.
        initialW: Initializer of the convolutions' weights.
    """

    def __init__(self, in_channels: int, mid_channels: int,
                 initialW: Any = None) -> None:  # noqa: N803
        super().__init__()
        with self.init_scope():
            self.conv1, self.bn1 = _conv_bn(in_channels, mid_channels, 1, 1, 0, initialW)
            self.conv2, self.bn2 = _conv_bn(mid_channels, mid_channels, 3, 1, 1, initialW)
            self.conv3, self.bn3 = _conv_bn(mid_channels, in_channels, 1, 1, 0, initialW)

    def forward(self, x: Any) -> Any:
        h = relu(self.bn1(self.conv1(x)))
        h = relu(self.bn2(self.conv2(h)))
        return relu(self.bn3(self.conv3(h)) + x)
