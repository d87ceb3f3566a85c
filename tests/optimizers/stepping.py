"""Running an optimizer for a few steps on fixed parameters and gradients, on any device."""

from __future__ import annotations

from collections.abc import Sequence

import numpy

from polychain import Link, Parameter
from polychain.backend import to_host

STEPS = 3


def fixed_values(shape=(3, 4), seed=0, steps=STEPS, dtype='float64'):
    """A parameter and ``steps`` gradients of ``shape``, the same on every run."""
    rng = numpy.random.default_rng(seed)
    param = rng.uniform(-1.0, 1.0, shape).astype(dtype)
    grads = [rng.normal(0.0, 1.0, shape).astype(dtype) for _ in range(steps)]
    return param, grads


def link_of(device, params: Sequence[numpy.ndarray]) -> Link:
    """A link with parameters ``p0``, ``p1``, ... holding copies of ``params``, on ``device``."""
    link = Link()
    with link.init_scope():
        for i, values in enumerate(params):
            setattr(link, f'p{i}', Parameter(values.copy()))
    return link.to_device(device)


def run_steps(optimizer, device, params, grads_per_step, hooks=()):
    """Host copies of the parameters after each step (gradients set by hand, then ``update()``)."""
    link = link_of(device, params)
    optimizer.setup(link)
    for hook in hooks:
        optimizer.add_hook(hook)
    history = []
    for grads in grads_per_step:
        for param, grad in zip(link.params(), grads):
            param.grad = device.send(grad.copy())
        optimizer.update()
        # Copies: an optimizer may update the arrays in place.
        history.append([numpy.array(to_host(p.array)) for p in link.params()])
    return history


def run_single(optimizer, device, param, grads, hooks=()):
    """:func:`run_steps` for one parameter: its host value after each step."""
    return [step[0] for step in run_steps(optimizer, device, [param], [[g] for g in grads],
                                          hooks)]


def assert_steps_close(actual, expected, rtol=1e-10, atol=1e-12):
    assert len(actual) == len(expected)
    for step, (a, e) in enumerate(zip(actual, expected), start=1):
        numpy.testing.assert_allclose(a, e, rtol=rtol, atol=atol, err_msg=f'step {step}')
