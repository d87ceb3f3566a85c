"""Compiled training step on JAX: ``polychain.jit`` next to a hand-written ``jax.jit`` step.

For the MLP 784-n-n-10 (batch 100) and the convnet of ``bench_convnet.py``
(batch 32), one SGD step (forward, softmax cross entropy, backward, update) is
timed four ways in one process, in alternation, each round starting with the
next of them (min of the repeats; each call waits for its outputs):

* ``compiled``: ``polychain.jit(lambda x, t: optimizer.update(lossfun, x, t),
  state=[optimizer])`` on @jax:cpu:0;
* ``jax.jit``: the same maths written by hand (parameters as a dict, ``jax.grad``
  of the same loss, the SGD update, parameters donated);
* ``eager @jax:cpu:0`` and ``eager @numpy``: polychain without compilation.

The compiled and hand-written steps must agree on the loss before timing
starts. ``compiled / jax.jit`` is the figure to quote (the target is <= 1.2).
``--profile`` adds a cProfile of 200 compiled calls per model: where the
host-side time of a call goes.

Run: ``python benchmarks/bench_compiled.py [--models mlp-100 mlp-1000 convnet] [--profile]``
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import timeit
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy
from bench_convnet import BATCH as CONV_BATCH
from bench_convnet import ConvNet
from bench_mlp import BATCH as MLP_BATCH
from bench_mlp import MLP, training_step

import polychain
import polychain.functions as F
from polychain import optimizers

LR = 0.01
DEVICE = '@jax:cpu:0'


def mlp_logits(params: dict[str, Any], x: Any) -> Any:
    h = x
    for name in ('l1', 'l2', 'l3'):
        h = h @ params[f'/{name}/W'].T + params[f'/{name}/b']
        if name != 'l3':
            h = jax.nn.relu(h)
    return h


def _conv_relu_pool(x: Any, W: Any, b: Any) -> Any:  # noqa: N803
    y = jax.lax.conv_general_dilated(x, W, (1, 1), ((1, 1), (1, 1)),
                                     dimension_numbers=('NCHW', 'OIHW', 'NCHW'))
    y = jax.nn.relu(y + b[None, :, None, None])
    return jax.lax.reduce_window(y, -jnp.inf, jax.lax.max, (1, 1, 2, 2), (1, 1, 2, 2), 'VALID')


def convnet_logits(params: dict[str, Any], x: Any) -> Any:
    h = _conv_relu_pool(x, params['/W1'], params['/b1'])
    h = _conv_relu_pool(h, params['/W2'], params['/b2'])
    return h.reshape(h.shape[0], -1) @ params['/l3/W'].T + params['/l3/b']


def hand_written_step(logits: Callable[[dict[str, Any], Any], Any]) -> tuple[Callable, Callable]:
    """The loss of ``logits`` and a ``jax.jit`` SGD step on it (parameters donated)."""

    def loss(params: dict[str, Any], x: Any, t: Any) -> Any:
        log_p = jax.nn.log_softmax(logits(params, x))
        return -jnp.take_along_axis(log_p, t[:, None], axis=1).mean()

    def step(params: dict[str, Any], x: Any, t: Any) -> tuple[Any, dict[str, Any]]:
        value, grads = jax.value_and_grad(loss)(params, x, t)
        return value, jax.tree_util.tree_map(lambda p, g: p - LR * g, params, grads)

    return jax.jit(loss), jax.jit(step, donate_argnums=0)


MODELS: dict[str, tuple[Callable[[], polychain.Chain], Callable, tuple[int, ...]]] = {
    'mlp-100': (lambda: MLP(100), mlp_logits, (MLP_BATCH, 784)),
    'mlp-1000': (lambda: MLP(1000), mlp_logits, (MLP_BATCH, 784)),
    'convnet': (ConvNet, convnet_logits, (CONV_BATCH, 1, 28, 28)),
}


class Candidate:
    """One way of running the step: ``call()`` runs it once and waits for its outputs."""

    def __init__(self, name: str, call: Callable[[], Any]) -> None:
        self.name = name
        self.call = call
        self.times: list[float] = []


def polychain_step(make_model: Callable[[], polychain.Chain], spec: str, x: numpy.ndarray,
                   t: numpy.ndarray, compiled: bool) -> tuple[Callable[[], None], Callable]:
    """The (compiled) SGD step of a seeded model on ``spec`` and a function of its loss."""
    device = polychain.get_device(spec)
    numpy.random.seed(0)
    model = make_model()
    model.to_device(device)
    optimizer = optimizers.SGD(lr=LR).setup(model)
    xd, td = device.send(x), device.send(t)
    step = training_step(model, optimizer, xd, td, compiled)
    return step, lambda: float(F.softmax_cross_entropy(model(xd), td).array)


def bench_model(name: str, repeat: int, number: int, profile: bool) -> None:
    make_model, logits, x_shape = MODELS[name]
    rng = numpy.random.default_rng(0)
    x = rng.uniform(0, 1, x_shape).astype(numpy.float32)
    t = rng.integers(0, 10, x_shape[0]).astype(numpy.int32)

    compiled_call, compiled_loss = polychain_step(make_model, DEVICE, x, t, True)
    numpy.random.seed(0)
    params = {key: jnp.array(p.array) for key, p in make_model().namedparams()}
    loss, step = hand_written_step(logits)
    xj, tj = jnp.asarray(x), jnp.asarray(t)
    state = {'params': params}

    def hand_call() -> Any:
        value, state['params'] = step(state['params'], xj, tj)
        return jax.block_until_ready((value, state['params']))

    # The two agree after the same steps (these also trace and warm up both).
    for _ in range(3):
        compiled_call()
        hand_call()
    ours, ref = compiled_loss(), float(loss(state['params'], xj, tj))
    if abs(ours - ref) > 1e-4 * max(1.0, abs(ref)):
        raise AssertionError(f'{name}: losses differ: compiled {ours} != jax.jit {ref}')

    candidates = [Candidate('compiled', compiled_call), Candidate('jax.jit', hand_call)]
    for spec in (DEVICE, '@numpy'):
        call, _ = polychain_step(make_model, spec, x, t, False)
        call()
        candidates.append(Candidate(f'eager {spec}', call))
    for round_ in range(repeat):
        # Each round starts with the next candidate: none always follows the same one (NumPy's
        # BLAS threads keep a core busy for a while after eager @numpy, for instance).
        shift = round_ % len(candidates)
        for candidate in candidates[shift:] + candidates[:shift]:
            candidate.times.append(timeit.timeit(candidate.call, number=number) / number)
    best = {candidate.name: min(candidate.times) for candidate in candidates}
    hand = best['jax.jit']
    print(f'{name:<10}' + ''.join(f'{1e3 * best[c.name]:>17.3f}' for c in candidates)
          + f'{best["compiled"] / hand:>10.2f}', flush=True)
    if profile:
        profile_calls(name, compiled_call, 200)


def profile_calls(name: str, call: Callable[[], Any], calls: int) -> None:
    """cProfile of ``calls`` compiled calls: the functions with the most own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    print(f'\n{name}: cProfile of {calls} compiled calls (per call: tottime / cumtime, us)')
    stats = pstats.Stats(profiler)
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:25]
    for (path, line, function), (_, ncalls, tottime, cumtime, _) in rows:
        where = f'{path.rsplit("/", 1)[-1]}:{line}({function})'
        print(f'  {1e6 * tottime / calls:>9.1f} {1e6 * cumtime / calls:>9.1f}  '
              f'{ncalls // calls:>4}x  {where}')
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--models', nargs='+', choices=list(MODELS), default=list(MODELS))
    parser.add_argument('--repeat', type=int, default=10)
    parser.add_argument('--number', type=int, default=10)
    parser.add_argument('--profile', action='store_true',
                        help='cProfile 200 compiled calls of each model')
    args = parser.parse_args()
    print(f'SGD training step on {DEVICE} (ms, min of {args.repeat} x {args.number} calls, '
          f'in alternation); ratio = compiled / jax.jit')
    print(f'{"model":<10}{"compiled":>17}{"jax.jit":>17}{"eager " + DEVICE:>17}'
          f'{"eager @numpy":>17}{"ratio":>10}', flush=True)
    for name in args.models:
        bench_model(name, args.repeat, args.number, args.profile)


if __name__ == '__main__':
    main()
