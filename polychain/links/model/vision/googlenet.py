"""GoogLeNet: the Inception-v1 ImageNet network (BVLC's Caffe model) with Chainer's layer
names, auxiliary classifiers ``loss1_fc2`` and ``loss2_fc2`` included."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from polychain.functions.activation.relu import relu
from polychain.functions.activation.softmax import softmax
from polychain.functions.noise.dropout import dropout
from polychain.functions.normalization.local_response_normalization import (
    local_response_normalization,
)
from polychain.functions.pooling.average_pooling import average_pooling_2d
from polychain.functions.pooling.max_pooling import max_pooling_2d
from polychain.initializers import LeCunUniform, Zero
from polychain.links.connection.convolution_2d import Convolution2D
from polychain.links.connection.inception import Inception
from polychain.links.connection.linear import Linear
from polychain.links.model.vision.imagenet import ImageNetLayers, available, preparer

__all__ = ['GoogLeNet', 'available', 'prepare']

_MEAN_BGR = (104.0, 117.0, 123.0)
#: The Inception modules: name suffix and (in, out1, proj3, out3, proj5, out5, proj_pool).
_INCEPTIONS = (
    ('3a', (192, 64, 96, 128, 16, 32, 32)), ('3b', (256, 128, 128, 192, 32, 96, 64)),
    ('4a', (480, 192, 96, 208, 16, 48, 64)), ('4b', (512, 160, 112, 224, 24, 64, 64)),
    ('4c', (512, 128, 128, 256, 24, 64, 64)), ('4d', (512, 112, 144, 288, 32, 64, 64)),
    ('4e', (528, 256, 160, 320, 32, 128, 128)), ('5a', (832, 256, 160, 320, 32, 128, 128)),
    ('5b', (832, 384, 192, 384, 48, 128, 128)),
)

#: The Caffe layer ``inception_<suffix>/<name>`` of each child of an Inception link.
_CAFFE_INCEPTION = {'conv1': '1x1', 'proj3': '3x3_reduce', 'conv3': '3x3',
                    'proj5': '5x5_reduce', 'conv5': '5x5', 'projp': 'pool_proj'}


#: Converts an RGB image to GoogLeNet's input (see :func:`imagenet.preparer`).
prepare = preparer('GoogLeNet', _MEAN_BGR)


def _max_pooling_2d(x: Any) -> Any:
    return max_pooling_2d(x, ksize=3, stride=2)


def _local_response_normalization(x: Any) -> Any:
    return local_response_normalization(x, n=5, k=1, alpha=1e-4 / 5)


def _average_pooling_2d_k5(x: Any) -> Any:
    return average_pooling_2d(x, ksize=5, stride=3)


def _average_pooling_2d_k7(x: Any) -> Any:
    return average_pooling_2d(x, ksize=7, stride=1)


def _dropout(x: Any) -> Any:
    return dropout(x, ratio=0.4)


class GoogLeNet(ImageNetLayers):
    """GoogLeNet (C. Szegedy et al., 2014), 224 x 224 inputs.

    Layers ``conv1`` ... ``inception_5b``, ``pool5``, ``loss3_fc`` and
    ``prob``, and the auxiliary classifiers ``loss1_fc2`` (from
    ``inception_4a``) and ``loss2_fc2`` (from ``inception_4d``).

    Args:
        pretrained_model (str): The path of an NPZ file of the model's weights,
            ``'auto'`` for Chainer's converted weights already in
            ``$CHAINER_DATASET_ROOT/pfnet/chainer/models`` (``bvlc_googlenet.npz``;
            nothing is downloaded), or ``None`` for ``LeCunUniform`` weights.

    Raises:
        FileNotFoundError: ``'auto'`` and the converted file is missing.
    """

    _branch_inputs = {'loss1_fc2': 'inception_4a', 'loss2_fc2': 'inception_4d'}
    _extract_layers = ('pool5',)
    _prepare = staticmethod(prepare)

    def __init__(self, pretrained_model: str | None = 'auto') -> None:
        super().__init__()
        kwargs = {'initialW': Zero() if pretrained_model else LeCunUniform(scale=1.0)}
        with self.init_scope():
            self.conv1 = Convolution2D(3, 64, 7, stride=2, pad=3, **kwargs)
            self.conv2_reduce = Convolution2D(64, 64, 1, **kwargs)
            self.conv2 = Convolution2D(64, 192, 3, stride=1, pad=1, **kwargs)
            for suffix, channels in _INCEPTIONS:
                setattr(self, f'inc{suffix}', Inception(*channels))
            self.loss3_fc = Linear(1024, 1000, **kwargs)
            self.loss1_conv = Convolution2D(512, 128, 1, **kwargs)
            self.loss1_fc1 = Linear(2048, 1024, **kwargs)
            self.loss1_fc2 = Linear(1024, 1000, **kwargs)
            self.loss2_conv = Convolution2D(528, 128, 1, **kwargs)
            self.loss2_fc1 = Linear(2048, 1024, **kwargs)
            self.loss2_fc2 = Linear(1024, 1000, **kwargs)
        self._load_pretrained(pretrained_model, 'bvlc_googlenet.npz')

    def _caffe_layers(self) -> list[tuple[str, str | tuple[str, str]]]:
        """The links' layers in BVLC's Caffe model (names with ``/``)."""
        layers: list[tuple[str, str | tuple[str, str]]] = [
            ('conv1', 'conv1/7x7_s2'), ('conv2_reduce', 'conv2/3x3_reduce'),
            ('conv2', 'conv2/3x3'), ('loss3_fc', 'loss3/classifier')]
        for suffix, _ in _INCEPTIONS:
            layers += [(f'inc{suffix}/{child}', f'inception_{suffix}/{caffe}')
                       for child, caffe in _CAFFE_INCEPTION.items()]
        for branch in ('loss1', 'loss2'):
            layers += [(f'{branch}_conv', f'{branch}/conv'), (f'{branch}_fc1', f'{branch}/fc'),
                       (f'{branch}_fc2', f'{branch}/classifier')]
        return layers

    @property
    def functions(self) -> OrderedDict[str, list[Callable[[Any], Any]]]:
        layers: OrderedDict[str, list[Callable[[Any], Any]]] = OrderedDict([
            ('conv1', [self.conv1, relu]),
            ('pool1', [_max_pooling_2d, _local_response_normalization]),
            ('conv2_reduce', [self.conv2_reduce, relu]),
            ('conv2', [self.conv2, relu, _local_response_normalization]),
            ('pool2', [_max_pooling_2d]),
        ])
        for suffix, _ in _INCEPTIONS:
            if suffix in ('4a', '5a'):  # pool3 and pool4 start stages 4 and 5
                layers[f'pool{int(suffix[0]) - 1}'] = [_max_pooling_2d]
            layers[f'inception_{suffix}'] = [getattr(self, f'inc{suffix}')]
        layers['pool5'] = [_average_pooling_2d_k7]
        layers['loss3_fc'] = [_dropout, self.loss3_fc]
        layers['prob'] = [softmax]
        for branch in ('loss1', 'loss2'):
            layers[f'{branch}_fc2'] = [_average_pooling_2d_k5, getattr(self, f'{branch}_conv'),
                                       relu, getattr(self, f'{branch}_fc1'), relu,
                                       getattr(self, f'{branch}_fc2')]
        return layers
