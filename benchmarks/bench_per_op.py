"""Per-op overhead: a chain of small elementwise ops, polychain next to hand-written NumPy.

Each step of the chain is ``h = tanh(h * w + b) * 0.9`` (four ops). polychain
runs it on ``@numpy`` through Variables; the baseline runs the same
arithmetic, and for forward+backward the same hand-derived gradients, with
plain NumPy in the same process. The ratio is the figure to quote; the
absolute microseconds depend on the machine.

Run: ``python benchmarks/bench_per_op.py [--size 1024] [--steps 50] [--repeat 15]``
"""

from __future__ import annotations

import argparse
import functools
import json

import numpy
from bench_mlp import measure_pair

import polychain
import polychain.functions as F

OPS_PER_STEP = 4


def polychain_forward(x, w, b, steps):
    h = x
    for _ in range(steps):
        h = F.tanh(h * w + b) * 0.9
    return h


def polychain_forward_backward(x, w, b, steps):
    x.cleargrad()
    w.cleargrad()
    b.cleargrad()
    loss = F.sum(polychain_forward(x, w, b, steps))
    loss.backward()
    return loss


def numpy_forward(x, w, b, steps):
    h = x
    for _ in range(steps):
        h = numpy.tanh(h * w + b) * 0.9
    return h


def numpy_forward_backward(x, w, b, steps):
    inputs, outputs = [], []
    h = x
    for _ in range(steps):
        inputs.append(h)
        t = numpy.tanh(h * w + b)
        outputs.append(t)
        h = t * 0.9
    loss = numpy.sum(h)
    g = numpy.ones_like(h)
    gw = numpy.zeros_like(w)
    gb = numpy.zeros_like(b)
    for h_in, t in zip(reversed(inputs), reversed(outputs)):
        g = g * 0.9
        g = g * (1.0 - t * t)
        gb = gb + g
        gw = gw + g * h_in
        g = g * w
    return loss, g, gw, gb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=1024, help='elements per array')
    parser.add_argument('--steps', type=int, default=50, help='chain steps (4 ops each)')
    parser.add_argument('--repeat', type=int, default=15)
    parser.add_argument('--number', type=int, default=20)
    parser.add_argument('--json', help='also write the results to this file')
    args = parser.parse_args()

    rng = numpy.random.default_rng(0)
    xa, wa, ba = (rng.uniform(-1, 1, args.size).astype(numpy.float32) for _ in range(3))
    x, w, b = (polychain.Variable(a) for a in (xa, wa, ba))
    n_ops = args.steps * OPS_PER_STEP

    # Same numbers first: the benchmark compares equal work.
    ours = polychain_forward_backward(x, w, b, args.steps)
    ref = numpy_forward_backward(xa, wa, ba, args.steps)
    numpy.testing.assert_allclose(ours.array, ref[0], rtol=1e-4)
    numpy.testing.assert_allclose(w.grad, ref[2], rtol=1e-3, atol=1e-5)

    results = {}
    for name, ours_fn, ref_fn, ours_args, ref_args in (
            ('forward', polychain_forward, numpy_forward, (x, w, b), (xa, wa, ba)),
            ('forward+backward', polychain_forward_backward, numpy_forward_backward,
             (x, w, b), (xa, wa, ba))):
        t_ours, t_ref = measure_pair(functools.partial(ours_fn, *ours_args, args.steps),
                                     functools.partial(ref_fn, *ref_args, args.steps),
                                     args.repeat, args.number)
        results[name] = {'polychain_us_per_op': 1e6 * t_ours / n_ops,
                         'numpy_us_per_op': 1e6 * t_ref / n_ops,
                         'ratio': t_ours / t_ref}
    print(f'per-op overhead, {args.size} float32 elements, {n_ops} ops per chain')
    print(f'{"":<18}{"polychain us/op":>16}{"numpy us/op":>14}{"ratio":>8}')
    for name, r in results.items():
        print(f'{name:<18}{r["polychain_us_per_op"]:>16.2f}{r["numpy_us_per_op"]:>14.2f}'
              f'{r["ratio"]:>8.2f}')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump({'size': args.size, 'steps': args.steps, **results}, f, indent=2)


if __name__ == '__main__':
    main()
