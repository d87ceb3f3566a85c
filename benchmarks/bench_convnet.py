"""Training step of a small convnet: polychain next to a hand-written NumPy im2col step.

One step is forward (conv 3x3x16, ReLU, max-pool 2, conv 3x3x32, ReLU, max-pool 2,
linear 10) on a batch of 32 images of 1x28x28, softmax cross entropy, backward
and an SGD update. The NumPy baseline writes the same step by hand (im2col
through strided views, col2im by adding the shifted windows back) in the same
process, measured in alternation. Ratios are the figures to quote.

With ``--compile`` the polychain step is compiled with ``polychain.jit``.

Run: ``python benchmarks/bench_convnet.py [--device @numpy @jax:cpu:0] [--compile]``
"""

from __future__ import annotations

import argparse

import numpy
from bench_mlp import measure_pair, training_step
from numpy.lib.stride_tricks import sliding_window_view

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import initializers, optimizers

BATCH = 32
LR = 0.01


class ConvNet(polychain.Chain):
    """conv 3x3 (pad 1) -> ReLU -> max-pool 2, twice, then a linear classifier."""

    def __init__(self) -> None:
        super().__init__()
        with self.init_scope():
            self.W1 = polychain.Parameter(initializers.LeCunNormal(), (16, 1, 3, 3))
            self.b1 = polychain.Parameter(0.0, (16,))
            self.W2 = polychain.Parameter(initializers.LeCunNormal(), (32, 16, 3, 3))
            self.b2 = polychain.Parameter(0.0, (32,))
            self.l3 = L.Linear(32 * 7 * 7, 10)

    def forward(self, x):
        h = F.max_pooling_2d(F.relu(F.convolution_2d(x, self.W1, self.b1, pad=1)), 2)
        h = F.max_pooling_2d(F.relu(F.convolution_2d(h, self.W2, self.b2, pad=1)), 2)
        return self.l3(h)


def _im2col(x: numpy.ndarray) -> numpy.ndarray:
    """3x3 patches with padding 1: (N, C, H, W) to (N, H, W, C * 9)."""
    n, c, h, w = x.shape
    padded = numpy.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    view = sliding_window_view(padded, (3, 3), axis=(2, 3))  # (N, C, H, W, 3, 3)
    return view.transpose(0, 2, 3, 1, 4, 5).reshape(n, h, w, c * 9)


def _col2im(gcol: numpy.ndarray, c: int) -> numpy.ndarray:
    """The adjoint of :func:`_im2col`: (N, H, W, C * 9) to (N, C, H, W)."""
    n, h, w, _ = gcol.shape
    gcol = gcol.reshape(n, h, w, c, 3, 3)
    gx = numpy.zeros((n, c, h + 2, w + 2), gcol.dtype)
    for i in range(3):
        for j in range(3):
            gx[:, :, i:i + h, j:j + w] += gcol[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return gx[:, :, 1:-1, 1:-1]


def _max_pool(x: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """2x2 max pooling and the mask of the maxima."""
    n, c, h, w = x.shape
    windows = x.reshape(n, c, h // 2, 2, w // 2, 2)
    y = windows.max(axis=(3, 5))
    return y, windows == y[:, :, :, None, :, None]


def _unpool(gy: numpy.ndarray, mask: numpy.ndarray) -> numpy.ndarray:
    n, c, h, _, w, _ = mask.shape
    return (mask * gy[:, :, :, None, :, None]).reshape(n, c, 2 * h, 2 * w)


class NumpyConvNet:
    """The same network and SGD step written directly with NumPy."""

    def __init__(self, model: ConvNet, lr: float) -> None:
        self.params = {name: numpy.array(p.array) for name, p in model.namedparams()}
        self.lr = lr

    def _conv(self, x, name_w, name_b):
        col = _im2col(x)
        W = self.params[name_w]  # noqa: N806
        y = col @ W.reshape(W.shape[0], -1).T + self.params[name_b]
        return col, y.transpose(0, 3, 1, 2)

    def _conv_backward(self, col, x_channels, gy, name_w, name_b, grads, need_gx=True):
        W = self.params[name_w]  # noqa: N806
        g = gy.transpose(0, 2, 3, 1).reshape(-1, W.shape[0])
        grads[name_w] = (g.T @ col.reshape(-1, col.shape[-1])).reshape(W.shape)
        grads[name_b] = g.sum(axis=0)
        if need_gx:
            gcol = (g @ W.reshape(W.shape[0], -1)).reshape(col.shape)
            return _col2im(gcol, x_channels)
        return None

    def step(self, x: numpy.ndarray, t: numpy.ndarray) -> float:
        p = self.params
        col1, h1 = self._conv(x, '/W1', '/b1')
        r1 = numpy.maximum(h1, 0)
        p1, mask1 = _max_pool(r1)
        col2, h2 = self._conv(p1, '/W2', '/b2')
        r2 = numpy.maximum(h2, 0)
        p2, mask2 = _max_pool(r2)
        flat = p2.reshape(len(x), -1)
        y = flat @ p['/l3/W'].T + p['/l3/b']
        shifted = y - y.max(axis=1, keepdims=True)
        log_p = shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_p[numpy.arange(len(t)), t].mean()
        g = numpy.exp(log_p)
        g[numpy.arange(len(t)), t] -= 1
        g /= len(t)
        grads = {'/l3/W': g.T @ flat, '/l3/b': g.sum(axis=0)}
        g = (g @ p['/l3/W']).reshape(p2.shape)
        g = _unpool(g, mask2) * (h2 > 0)
        g = self._conv_backward(col2, p1.shape[1], g, '/W2', '/b2', grads)
        g = _unpool(g, mask1) * (h1 > 0)
        self._conv_backward(col1, x.shape[1], g, '/W1', '/b1', grads, need_gx=False)
        self.params = {name: value - self.lr * grads[name] for name, value in p.items()}
        return float(loss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', nargs='+', default=['@numpy', '@jax:cpu:0'])
    parser.add_argument('--repeat', type=int, default=10)
    parser.add_argument('--number', type=int, default=5)
    parser.add_argument('--compile', action='store_true',
                        help='compile the polychain step (polychain.jit)')
    args = parser.parse_args()

    rng = numpy.random.default_rng(0)
    x = rng.uniform(0, 1, (BATCH, 1, 28, 28)).astype(numpy.float32)
    t = rng.integers(0, 10, BATCH).astype(numpy.int32)
    print(f'Convnet training step, batch {BATCH}, 1x28x28, SGD'
          + (', compiled' if args.compile else ''))
    print(f'{"device":<12}{"polychain ms":>14}{"numpy ms":>10}{"ratio":>8}')
    for spec in args.device:
        device = polychain.get_device(spec)
        numpy.random.seed(0)
        model = ConvNet()
        reference = NumpyConvNet(model, LR)
        model.to_device(device)
        optimizer = optimizers.SGD(lr=LR).setup(model)
        xd, td = device.send(x), device.send(t)

        ours = training_step(model, optimizer, xd, td, args.compile)

        def baseline(reference=reference):
            reference.step(x, t)

        ours()
        baseline()
        # The two agree on the first steps before timing starts.
        loss_ours = float(F.softmax_cross_entropy(model(xd), td).array)
        loss_ref = reference.step(x, t)
        if abs(loss_ours - loss_ref) > 1e-3 * max(1.0, abs(loss_ref)):
            raise AssertionError(f'losses differ: {loss_ours} != {loss_ref}')
        t_ours, t_ref = measure_pair(ours, baseline, args.repeat, args.number)
        print(f'{spec:<12}{1e3 * t_ours:>14.3f}{1e3 * t_ref:>10.3f}{t_ours / t_ref:>8.2f}')


if __name__ == '__main__':
    main()
