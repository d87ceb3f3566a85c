"""The catalogue of model cases: small networks trained for a few steps on every device.

Each case builds a model from a seed (bit-identical initial parameters on
every device), trains it with an optimizer on a small fixed synthetic
classification dataset, and records the loss of every step and the final
parameters; they must agree with the reference device.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy

import polychain.functions as F
import polychain.links as L
from polychain import Chain, initializers
from polychain.link import Link
from polychain_conformance.spec import DTYPES


class TutorialMLP(Chain):
    """The tutorial's multi-layer perceptron: three lazily sized ``L.Linear`` with ReLU.

    Args:
        n_units: Width of the hidden layers.
        n_out: Number of outputs.
        dtype: Dtype of the parameters.
    """

    def __init__(self, n_units: int, n_out: int, dtype: Any = numpy.float32) -> None:
        super().__init__()
        with self.init_scope():
            self.l1 = _lazy_linear(n_units, dtype)
            self.l2 = _lazy_linear(n_units, dtype)
            self.l3 = _lazy_linear(n_out, dtype)

    def forward(self, x: Any) -> Any:
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def _lazy_linear(out_size: int, dtype: Any) -> L.Linear:
    """``L.Linear(None, out_size)`` with the default initializers in ``dtype``."""
    return L.Linear(None, out_size, initialW=initializers.LeCunNormal(dtype=dtype),
                    initial_bias=initializers.Zero(dtype))


def tutorial_classifier(dtype: numpy.dtype) -> Link:
    """``L.Classifier(TutorialMLP(16, 3))`` with parameters of ``dtype``."""
    return L.Classifier(TutorialMLP(16, 3, dtype))


class SmallConvNet(Chain):
    """conv 3x3 (pad 1) -> ReLU -> max-pool 2 -> linear, on flat inputs read as square images.

    Args:
        n_channels: Channels of the convolution.
        n_out: Number of outputs.
        dtype: Dtype of the parameters.
    """

    def __init__(self, n_channels: int, n_out: int, dtype: Any = numpy.float32) -> None:
        super().__init__()
        with self.init_scope():
            self.conv = L.Convolution2D(1, n_channels, 3, pad=1,
                                        initialW=initializers.LeCunNormal(dtype=dtype),
                                        initial_bias=initializers.Zero(dtype))
            self.fc = _lazy_linear(n_out, dtype)

    def forward(self, x: Any) -> Any:
        side = int(round(x.shape[1] ** 0.5))
        h = F.reshape(x, (x.shape[0], 1, side, side))
        return self.fc(F.max_pooling_2d(F.relu(self.conv(h)), 2))


def convnet_classifier(dtype: numpy.dtype) -> Link:
    """``L.Classifier(SmallConvNet(4, 3))`` with parameters of ``dtype``."""
    return L.Classifier(SmallConvNet(4, 3, dtype))


@dataclass(frozen=True)
class SyntheticClassification:
    """A fixed dataset: uniform inputs labelled by the arg-max of a hidden linear map.

    Args:
        n_samples: Number of examples.
        n_features: Size of each input.
        n_classes: Number of labels.
    """

    n_samples: int = 64
    n_features: int = 8
    n_classes: int = 3

    def arrays(self, dtype: str) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Inputs in ``dtype`` and ``int32`` labels; the same on every call."""
        rng = numpy.random.default_rng(20240601)
        x = rng.uniform(-1.0, 1.0, (self.n_samples, self.n_features))
        hidden = rng.normal(size=(self.n_features, self.n_classes))
        return x.astype(dtype), numpy.argmax(x @ hidden, axis=1).astype(numpy.int32)


@dataclass(frozen=True)
class ModelCase:
    """Training a model for a few steps with one optimizer.

    Args:
        name: Unique name of the case.
        model: What is trained, as reports name it (``tutorial MLP``).
        build: Builds the model (a link returning the loss) for a dtype; it runs
            right after ``numpy.random.seed``.
        optimizer: The class name in ``polychain.optimizers``.
        kwargs: Keyword arguments of the optimizer.
        steps: Number of update steps.
        batch_size: Examples per step, taken in order and cycling over the dataset.
        dataset: The training data.
        dtypes: The dtypes it is run in.
        tolerances: Per-dtype ``(atol, rtol)`` of losses and parameters against the
            reference device.
    """

    name: str
    model: str
    build: Callable[[numpy.dtype], Link]
    optimizer: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    steps: int = 20
    batch_size: int = 16
    dataset: SyntheticClassification = SyntheticClassification()
    dtypes: tuple[str, ...] = ('float32', 'float64')
    tolerances: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.dtypes) - set(DTYPES)
        if unknown:
            raise ValueError(f'ModelCase {self.name!r}: expected dtypes among {DTYPES}, '
                             f'received {sorted(unknown)}')

    def tolerance(self, dtype: str) -> tuple[float, float]:
        """``(atol, rtol)`` of ``dtype`` for this case."""
        return self.tolerances.get(dtype, DEFAULT_MODEL_TOLERANCES[dtype])

    @property
    def label(self) -> str:
        """How reports name what is under test (``tutorial MLP + optimizers.Adam``)."""
        return f'{self.model} + optimizers.{self.optimizer}'


#: ``(atol, rtol)`` of losses and parameters after training, against the reference device:
#: rounding differences of each step (summation order, fused multiply-adds) compound.
DEFAULT_MODEL_TOLERANCES: Mapping[str, tuple[float, float]] = {
    'float16': (1e-2, 1e-2),
    'float32': (1e-5, 1e-4),
    'float64': (1e-12, 1e-10),
}

MODEL_CASES: tuple[ModelCase, ...] = (
    ModelCase('mlp_SGD', 'tutorial MLP', tutorial_classifier, 'SGD', {'lr': 0.1}),
    ModelCase('mlp_MomentumSGD', 'tutorial MLP', tutorial_classifier, 'MomentumSGD',
              {'lr': 0.05, 'momentum': 0.9}),
    ModelCase('mlp_Adam', 'tutorial MLP', tutorial_classifier, 'Adam', {'alpha': 0.01}),
    ModelCase('convnet_SGD', 'convnet', convnet_classifier, 'SGD', {'lr': 0.1},
              dataset=SyntheticClassification(n_features=16)),
    ModelCase('convnet_Adam', 'convnet', convnet_classifier, 'Adam', {'alpha': 0.01},
              dataset=SyntheticClassification(n_features=16)),
)
