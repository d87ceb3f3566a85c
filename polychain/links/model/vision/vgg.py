"""VGG16Layers and VGG19Layers: the VGG team's ImageNet networks with Chainer's layer names."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from polychain.functions.activation.relu import relu
from polychain.functions.activation.softmax import softmax
from polychain.functions.noise.dropout import dropout
from polychain.functions.pooling.max_pooling import max_pooling_2d
from polychain.initializers import Normal, Zero
from polychain.links.connection.convolution_2d import Convolution2D
from polychain.links.connection.linear import Linear
from polychain.links.model.vision.imagenet import ImageNetLayers, available, preparer

__all__ = ['VGG16Layers', 'VGG19Layers', 'VGGLayers', 'available', 'prepare']

#: Convolutions per block: VGG16 and VGG19.
_BLOCKS = {16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}
_CHANNELS = (64, 128, 256, 512, 512)
_MEAN_BGR = (103.939, 116.779, 123.68)


#: Converts an RGB image to VGG's input (see :func:`imagenet.preparer`).
prepare = preparer('VGG', _MEAN_BGR)


def _max_pooling_2d(x: Any) -> Any:
    return max_pooling_2d(x, ksize=2)


def _dropout(x: Any) -> Any:
    return dropout(x, ratio=0.5)


class VGGLayers(ImageNetLayers):
    """The VGG network (K. Simonyan and A. Zisserman, 2014) of 16 or 19 layers.

    Layers ``conv1_1`` ... ``pool5``, ``fc6``, ``fc7``, ``fc8`` and ``prob``
    (see :attr:`available_layers`); 224 x 224 inputs.

    Args:
        pretrained_model (str): The path of an NPZ file of the model's weights,
            ``'auto'`` for Chainer's converted weights already in
            ``$CHAINER_DATASET_ROOT/pfnet/chainer/models`` (``VGG_ILSVRC_<n_layers>_layers.npz``;
            nothing is downloaded), or ``None`` for ``Normal(0.01)`` weights and zero biases.
        n_layers (int): 16 or 19.

    Raises:
        ValueError: ``n_layers`` is neither 16 nor 19.
        FileNotFoundError: ``'auto'`` and the converted file is missing.
    """

    _extract_layers = ('fc7',)
    _prepare = staticmethod(prepare)

    def __init__(self, pretrained_model: str | None = 'auto', n_layers: int = 16) -> None:
        super().__init__()
        if n_layers not in _BLOCKS:
            raise ValueError(f'VGGLayers: the n_layers argument should be either 16 or 19, '
                             f'but {n_layers} was given.')
        if pretrained_model:
            kwargs: dict[str, Any] = {'initialW': Zero(), 'initial_bias': Zero()}
        else:
            kwargs = {'initialW': Normal(0.01), 'initial_bias': Zero()}
        self._conv_names: list[list[str]] = []
        in_channels = 3
        with self.init_scope():
            for block, (count, channels) in enumerate(zip(_BLOCKS[n_layers], _CHANNELS), 1):
                names = [f'conv{block}_{i}' for i in range(1, count + 1)]
                for name in names:
                    setattr(self, name, Convolution2D(in_channels, channels, 3, 1, 1, **kwargs))
                    in_channels = channels
                self._conv_names.append(names)
            self.fc6 = Linear(512 * 7 * 7, 4096, **kwargs)
            self.fc7 = Linear(4096, 4096, **kwargs)
            self.fc8 = Linear(4096, 1000, **kwargs)
        self._load_pretrained(pretrained_model, f'VGG_ILSVRC_{n_layers}_layers.npz')

    def _caffe_layers(self) -> list[tuple[str, str | tuple[str, str]]]:
        """Each convolution and linear layer is the Caffe layer of its name."""
        names = [name for block in self._conv_names for name in block] + ['fc6', 'fc7', 'fc8']
        return [(name, name) for name in names]

    @property
    def functions(self) -> OrderedDict[str, list[Callable[[Any], Any]]]:
        layers: OrderedDict[str, list[Callable[[Any], Any]]] = OrderedDict()
        for block, names in enumerate(self._conv_names, 1):
            for name in names:
                layers[name] = [getattr(self, name), relu]
            layers[f'pool{block}'] = [_max_pooling_2d]
        layers['fc6'] = [self.fc6, relu, _dropout]
        layers['fc7'] = [self.fc7, relu, _dropout]
        layers['fc8'] = [self.fc8]
        layers['prob'] = [softmax]
        return layers


class VGG16Layers(VGGLayers):
    """VGG with 16 layers (see :class:`VGGLayers`).

    Args:
        pretrained_model (str): An NPZ path, ``'auto'`` or ``None``.
    """

    def __init__(self, pretrained_model: str | None = 'auto') -> None:
        super().__init__(pretrained_model, 16)


class VGG19Layers(VGGLayers):
    """VGG with 19 layers (see :class:`VGGLayers`).

    Args:
        pretrained_model (str): An NPZ path, ``'auto'`` or ``None``.
    """

    def __init__(self, pretrained_model: str | None = 'auto') -> None:
        super().__init__(pretrained_model, 19)
