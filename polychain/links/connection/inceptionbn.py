"""The inception module with batch normalization (GoogLeNet v2)."""

from __future__ import annotations

from typing import Any

from polychain.configuration import get_dtype
from polychain.functions import average_pooling_2d, concat, max_pooling_2d, relu
from polychain.link import Chain
from polychain.links.connection.convolution_2d import Convolution2D
from polychain.links.errors import LinkArgumentError
from polychain.links.normalization.batch_normalization import BatchNormalization
from polychain.variable import Variable


class InceptionBN(Chain):
    """Inception module with batch normalization after each convolution.

    The paths are a 1x1 convolution (``out1 > 0``), a 1x1 projection then a
    3x3 convolution, a 1x1 projection then two 3x3 convolutions, and a pooling
    (``pooltype``) optionally followed by a 1x1 projection (``proj_pool``);
    their outputs are concatenated along the channels.

    See: S. Ioffe and C. Szegedy, `Batch Normalization
    <https://arxiv.org/abs/1502.03167>`_.

    Args:
        in_channels: Input channels, or ``None`` to infer them.
        out1: Output channels of the 1x1 path (0 leaves it out).
        proj3: Channels of the projection before the 3x3 convolution.
        out3: Output channels of the 3x3 path.
        proj33: Channels of the projection before the double 3x3 convolutions.
        out33: Output channels of the double 3x3 path.
        pooltype: ``'max'`` or ``'avg'``.
        proj_pool: Output channels of the projection after pooling, or ``None``.
        stride: Stride of the last convolution of each path and of the pooling.
        conv_init: Initializer of the filters.
        dtype: Dtype of the batch normalization parameters (default ``config.dtype``).

    Raises:
        NotImplementedError: ``pooltype`` is neither ``'max'`` nor ``'avg'``.
        LinkArgumentError: ``out1 > 0`` with ``stride != 1`` or without ``proj_pool``.
    """

    def __init__(self, in_channels: int | None, out1: int, proj3: int, out3: int, proj33: int,
                 out33: int, pooltype: str, proj_pool: int | None = None, stride: int = 1,
                 conv_init: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if pooltype not in ('max', 'avg'):
            raise NotImplementedError(f"InceptionBN: pooltype {pooltype!r} is not 'max' or "
                                      f"'avg'")
        if out1 > 0 and (stride != 1 or proj_pool is None):
            raise LinkArgumentError(f'InceptionBN: a 1x1 path (out1={out1}) needs stride=1 '
                                    f'and proj_pool, received stride={stride}, '
                                    f'proj_pool={proj_pool}')
        self.out1 = out1
        self.proj_pool = proj_pool
        self.stride = stride
        self.pooltype = pooltype
        dtype = get_dtype(dtype)

        def conv(n_in: int | None, n_out: int, ksize: int, **kwargs: Any) -> Convolution2D:
            return Convolution2D(n_in, n_out, ksize, initialW=conv_init, nobias=True, **kwargs)

        with self.init_scope():
            self.proj3 = conv(in_channels, proj3, 1)
            self.conv3 = conv(proj3, out3, 3, pad=1, stride=stride)
            self.proj33 = conv(in_channels, proj33, 1)
            self.conv33a = conv(proj33, out33, 3, pad=1)
            self.conv33b = conv(out33, out33, 3, pad=1, stride=stride)
            self.proj3n = BatchNormalization(proj3, dtype=dtype)
            self.conv3n = BatchNormalization(out3, dtype=dtype)
            self.proj33n = BatchNormalization(proj33, dtype=dtype)
            self.conv33an = BatchNormalization(out33, dtype=dtype)
            self.conv33bn = BatchNormalization(out33, dtype=dtype)
            if out1 > 0:
                self.conv1 = conv(in_channels, out1, 1, stride=stride)
                self.conv1n = BatchNormalization(out1, dtype=dtype)
            if proj_pool is not None:
                self.poolp = conv(in_channels, proj_pool, 1)
                self.poolpn = BatchNormalization(proj_pool, dtype=dtype)

    def forward(self, x: Any) -> Variable:
        """The concatenated outputs of the paths for ``x`` of shape ``(N, C, H, W)``."""
        outs = []
        if self.out1 > 0:
            outs.append(relu(self.conv1n(self.conv1(x))))
        h3 = relu(self.proj3n(self.proj3(x)))
        outs.append(relu(self.conv3n(self.conv3(h3))))
        h33 = relu(self.proj33n(self.proj33(x)))
        h33 = relu(self.conv33an(self.conv33a(h33)))
        outs.append(relu(self.conv33bn(self.conv33b(h33))))
        if self.pooltype == 'max':
            pooled = max_pooling_2d(x, 3, stride=self.stride, pad=1, cover_all=False)
        else:
            pooled = average_pooling_2d(x, 3, stride=self.stride, pad=1)
        if self.proj_pool is not None:
            pooled = relu(self.poolpn(self.poolp(pooled)))
        outs.append(pooled)
        return concat(outs, axis=1)
