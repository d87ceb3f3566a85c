"""Small models and data shared by the compiled-step tests."""

import numpy

import polychain
import polychain.functions as F
import polychain.links as L


class MLP(polychain.Chain):
    """784-32-10 with ReLU and, optionally, dropout; lazily initialised first layer."""

    def __init__(self, dropout: float = 0.0) -> None:
        super().__init__()
        self.dropout = dropout
        with self.init_scope():
            self.l1 = L.Linear(None, 32)
            self.l2 = L.Linear(32, 10)

    def forward(self, x):
        h = F.relu(self.l1(x))
        if self.dropout:
            h = F.dropout(h, self.dropout)
        return self.l2(h)


def batches(count: int, size: int = 20, seed: int = 0):
    rng = numpy.random.default_rng(seed)
    return [(rng.standard_normal((size, 50)).astype(numpy.float32),
             rng.integers(0, 10, size).astype(numpy.int32)) for _ in range(count)]


def classifier(device, optimizer_name: str = 'Adam', dropout: float = 0.0, seed: int = 0):
    """A seeded Classifier(MLP) on ``device`` with an optimizer and a WeightDecay hook."""
    numpy.random.seed(seed)
    device.seed(seed)
    model = L.Classifier(MLP(dropout))
    model.to_device(device)
    optimizer = getattr(polychain.optimizers, optimizer_name)().setup(model)
    optimizer.add_hook(polychain.optimizer_hooks.WeightDecay(1e-4))
    optimizer.add_hook(polychain.optimizer_hooks.GradientClipping(5.0))
    return model, optimizer


def train(device, steps, compiled: bool, send: bool = True, **options):
    """Losses of ``len(steps)`` updates, and the model and optimizer afterwards (``send``:
    the batches are sent to ``device`` first, else passed as NumPy arrays)."""
    model, optimizer = classifier(device, **options)

    def update(x, t):
        optimizer.update(model, x, t)

    step = polychain.jit(update, state=[optimizer]) if compiled else update
    reporter = polychain.Reporter()
    reporter.add_observer('main', model)
    losses = []
    for x, t in steps:
        observation = {}
        with reporter.scope(observation):
            step(*(device.send((x, t)) if send else (x, t)))
        losses.append(float(observation['main/loss'].array))
    return losses, model, optimizer, step
