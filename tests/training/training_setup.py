"""Small real training setups shared by the training tests: a linear classifier on 40 examples."""

from __future__ import annotations

from typing import Any

import numpy

from polychain import datasets, iterators, optimizers, training
from polychain import links as L

N_EXAMPLES = 40
BATCH_SIZE = 10
ITERATIONS_PER_EPOCH = N_EXAMPLES // BATCH_SIZE


def make_dataset(seed: int = 0) -> datasets.TupleDataset:
    """40 three-feature examples labelled by the sign of their first feature."""
    rng = numpy.random.RandomState(seed)
    x = rng.randn(N_EXAMPLES, 3).astype(numpy.float32)
    t = (x[:, 0] > 0).astype(numpy.int32)
    return datasets.TupleDataset(x, t)


def make_model(seed: int = 1) -> L.Classifier:
    """A classifier over a 3 -> 2 linear layer with weights fixed by ``seed``."""
    rng = numpy.random.RandomState(seed)
    initial_w = rng.randn(2, 3).astype(numpy.float32)
    initial_b = rng.randn(2).astype(numpy.float32)
    return L.Classifier(L.Linear(3, 2, initialW=initial_w, initial_bias=initial_b))


def make_trainer(out: Any, stop_trigger: Any = (2, 'epoch'), optimizer: Any = None,
                 model: Any = None, shuffle: bool = False,
                 extensions: list[Any] | None = None) -> training.Trainer:
    """A trainer of :func:`make_model` on :func:`make_dataset` (batches of 10, no shuffling)."""
    model = model if model is not None else make_model()
    optimizer = optimizer if optimizer is not None else optimizers.SGD(lr=0.1)
    optimizer.setup(model)
    iterator = iterators.SerialIterator(make_dataset(), BATCH_SIZE, shuffle=shuffle)
    updater = training.StandardUpdater(iterator, optimizer)
    return training.Trainer(updater, stop_trigger, out=str(out), extensions=extensions)


def parameters(trainer: training.Trainer) -> dict[str, numpy.ndarray]:
    """The main model's parameters, as host arrays keyed by path."""
    target = trainer.updater.get_optimizer('main').target
    return {path: numpy.asarray(param.array) for path, param in target.namedparams()}


def record_each_call(values: list[Any], make_value: Any = None) -> Any:
    """An extension (called every iteration) appending ``make_value(trainer)`` to ``values``."""
    make_value = make_value or (lambda trainer: trainer.updater.iteration)

    @training.make_extension(trigger=(1, 'iteration'))
    def record(trainer: Any) -> None:
        values.append(make_value(trainer))
    return record


def scripted_observation(key: str, values_by_iteration: dict[int, float]) -> Any:
    """An extension writing ``values_by_iteration[iteration]`` under ``key`` before the others."""
    @training.make_extension(trigger=(1, 'iteration'), priority=training.PRIORITY_WRITER + 10)
    def observe(trainer: Any) -> None:
        iteration = trainer.updater.iteration
        if iteration in values_by_iteration:
            trainer.observation[key] = values_by_iteration[iteration]
    return observe


def fired_iterations(trainer: training.Trainer, trigger: Any) -> list[int]:
    """Runs ``trainer`` and returns the iterations at which ``trigger`` fired."""
    fired: list[int] = []
    trainer.extend(record_each_call(fired), trigger=trigger)
    trainer.run()
    return fired


def round_trip(obj: Any, fresh: Any) -> Any:
    """Saves ``obj`` into a dictionary and loads it into ``fresh``; returns ``fresh``."""
    from polychain.serializers import DictionarySerializer, NpzDeserializer
    saved = DictionarySerializer()
    obj.serialize(saved)
    NpzDeserializer(saved.target).load(fresh)
    return fresh
