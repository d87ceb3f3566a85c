"""The inception module of GoogLeNet."""

from __future__ import annotations

from typing import Any

from polychain.functions import concat, max_pooling_2d, relu
from polychain.link import Chain
from polychain.links.connection.convolution_2d import Convolution2D
from polychain.variable import Variable


class Inception(Chain):
    """Inception module: 1x1, 3x3 and 5x5 convolutions and a pooling path, concatenated.

    See: C. Szegedy et al., `Going Deeper with Convolutions
    <https://arxiv.org/abs/1409.4842>`_.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out1: Output channels of the 1x1 convolution path.
        proj3: Channels of the 1x1 projection before the 3x3 convolution.
        out3: Output channels of the 3x3 convolution path.
        proj5: Channels of the 1x1 projection before the 5x5 convolution.
        out5: Output channels of the 5x5 convolution path.
        proj_pool: Output channels of the 1x1 projection after max pooling.
        conv_init: Initializer of the filters.
        bias_init: Initializer of the biases.
    """

    def __init__(self, in_channels: int | None, out1: int, proj3: int, out3: int, proj5: int,
                 out5: int, proj_pool: int, conv_init: Any = None,
                 bias_init: Any = None) -> None:
        super().__init__()
        inits = {'initialW': conv_init, 'initial_bias': bias_init}
        with self.init_scope():
            self.conv1 = Convolution2D(in_channels, out1, 1, **inits)
            self.proj3 = Convolution2D(in_channels, proj3, 1, **inits)
            self.conv3 = Convolution2D(proj3, out3, 3, pad=1, **inits)
            self.proj5 = Convolution2D(in_channels, proj5, 1, **inits)
            self.conv5 = Convolution2D(proj5, out5, 5, pad=2, **inits)
            self.projp = Convolution2D(in_channels, proj_pool, 1, **inits)

    def forward(self, x: Any) -> Variable:
        """The concatenated outputs of the four paths for ``x`` of shape ``(N, C, H, W)``."""
        out1 = self.conv1(x)
        out3 = self.conv3(relu(self.proj3(x)))
        out5 = self.conv5(relu(self.proj5(x)))
        pool = self.projp(max_pooling_2d(x, 3, stride=1, pad=1))
        return relu(concat((out1, out3, out5, pool), axis=1))
