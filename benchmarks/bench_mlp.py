"""Training step of the tutorial MLP: polychain next to a hand-written NumPy step.

One step is forward (784-n-n-10 with ReLU), softmax cross entropy, backward and
an SGD update on a batch of 100. The NumPy baseline writes the same step by
hand in the same process. Ratios are the figures to quote.

With ``--compile`` the polychain step is compiled with ``polychain.jit`` (one
program a step on JAX devices; other devices run it eagerly and say so).

Run: ``python benchmarks/bench_mlp.py [--units 100 1000] [--device @numpy @jax:cpu:0] [--compile]``
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable
from typing import Any

import numpy

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import optimizers

BATCH = 100


class MLP(polychain.Chain):
    def __init__(self, n_units: int, n_out: int = 10) -> None:
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(784, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, n_out)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


class NumpyMLP:
    """The same network and SGD step written directly with NumPy."""

    def __init__(self, model: MLP, lr: float) -> None:
        self.params = [(numpy.array(link.W.array), numpy.array(link.b.array))
                       for link in (model.l1, model.l2, model.l3)]
        self.lr = lr

    def step(self, x: numpy.ndarray, t: numpy.ndarray) -> float:
        hs = [x]
        for i, (W, b) in enumerate(self.params):
            h = hs[-1] @ W.T + b
            hs.append(numpy.maximum(h, 0) if i < 2 else h)
        y = hs[-1]
        shifted = y - y.max(axis=1, keepdims=True)
        log_z = numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))
        log_p = shifted - log_z
        loss = -log_p[numpy.arange(len(t)), t].mean()
        g = numpy.exp(log_p)
        g[numpy.arange(len(t)), t] -= 1
        g /= len(t)
        new_params = []
        for i in range(2, -1, -1):
            W, b = self.params[i]
            h_in = hs[i]
            gW = g.T @ h_in
            gb = g.sum(axis=0)
            if i:
                g = (g @ W) * (hs[i] > 0)
            new_params.append((W - self.lr * gW, b - self.lr * gb))
        self.params = new_params[::-1]
        return float(loss)


def training_step(model: polychain.Link, optimizer: Any, xd: Any, td: Any,
                  compile: bool = False) -> Callable[[], None]:
    """One SGD step of ``model`` on ``(xd, td)`` as a call that waits for the new parameters.

    With ``compile`` the step is :func:`polychain.jit` of ``optimizer.update``, keeping no
    gradients, as ``StandardUpdater(compile=True)`` compiles it.
    """
    device = polychain.get_device_from_array(xd)
    params = list(model.params())

    def update(x: Any, t: Any) -> None:
        optimizer.update(lambda x, t: F.softmax_cross_entropy(model(x), t), x, t)

    step = polychain.jit(update, state=[optimizer], keep_grads=False) if compile else update

    def call() -> None:
        step(xd, td)
        device.backend.synchronize([p.array for p in params])

    return call


def measure_pair(ours, baseline, repeat: int, number: int) -> tuple[float, float]:
    """Best time per call of each, measured in alternation so that load changes hit both."""
    t_ours, t_ref = [], []
    for _ in range(repeat):
        t_ref.append(timeit.timeit(baseline, number=number))
        t_ours.append(timeit.timeit(ours, number=number))
    return min(t_ours) / number, min(t_ref) / number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--units', type=int, nargs='+', default=[100, 1000])
    parser.add_argument('--device', nargs='+', default=['@numpy'])
    parser.add_argument('--repeat', type=int, default=15)
    parser.add_argument('--number', type=int, default=20)
    parser.add_argument('--compile', action='store_true',
                        help='compile the polychain step (polychain.jit)')
    args = parser.parse_args()

    rng = numpy.random.default_rng(0)
    x = rng.uniform(0, 1, (BATCH, 784)).astype(numpy.float32)
    t = rng.integers(0, 10, BATCH).astype(numpy.int32)
    print(f'MLP training step, batch {BATCH}, SGD' + (', compiled' if args.compile else ''))
    print(f'{"units":>6} {"device":<12}{"polychain ms":>14}{"numpy ms":>10}{"ratio":>8}')
    for units in args.units:
        for spec in args.device:
            device = polychain.get_device(spec)
            numpy.random.seed(0)
            model = MLP(units)
            reference = NumpyMLP(model, lr=0.01)
            model.to_device(device)
            optimizer = optimizers.SGD(lr=0.01).setup(model)
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
            print(f'{units:>6} {spec:<12}{1e3 * t_ours:>14.3f}{1e3 * t_ref:>10.3f}'
                  f'{t_ours / t_ref:>8.2f}')


if __name__ == '__main__':
    main()
