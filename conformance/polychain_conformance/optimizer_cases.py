"""The catalogue of optimizer cases: every optimizer and optimizer hook, declared as data.

Each case names an optimizer of ``polychain.optimizers`` with constructor
arguments, optionally hooks of ``polychain.optimizer_hooks``, and the shapes
of the parameters. Parameters and gradients are drawn from the suite's seed;
three update steps must give the same values on every backend as on the
reference device. Add a case when an optimizer or a hook is added: a test
fails until one exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from polychain_conformance.spec import DTYPES


@dataclass(frozen=True)
class Hook:
    """A hook of ``polychain.optimizer_hooks`` and its constructor arguments.

    Args:
        name: The class name in ``polychain.optimizer_hooks``.
        kwargs: Its keyword arguments.
    """

    name: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OptimizerCase:
    """Three update steps of one optimizer (with hooks) on fixed parameters and gradients.

    Args:
        optimizer: The class name in ``polychain.optimizers``.
        name: Unique name of the case (defaults to ``optimizer``).
        kwargs: Keyword arguments of the optimizer.
        hooks: Hooks added to the optimizer, in order.
        shapes: Shapes of the parameters.
        steps: The number of update steps.
        dtypes: The dtypes it is run in.
        tolerances: Per-dtype ``(atol, rtol)`` against the reference device.
    """

    optimizer: str
    name: str = ''
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    hooks: tuple[Hook, ...] = ()
    shapes: tuple[tuple[int, ...], ...] = ((3, 4), (4,))
    steps: int = 3
    dtypes: tuple[str, ...] = ('float32', 'float64')
    tolerances: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, 'name', self.optimizer)
        unknown = set(self.dtypes) - set(DTYPES)
        if unknown:
            raise ValueError(f'OptimizerCase {self.name!r}: expected dtypes among {DTYPES}, '
                             f'received {sorted(unknown)}')

    def tolerance(self, dtype: str) -> tuple[float, float]:
        """``(atol, rtol)`` of ``dtype`` for this case."""
        return self.tolerances.get(dtype, DEFAULT_OPTIMIZER_TOLERANCES[dtype])

    @property
    def label(self) -> str:
        """How reports name what is under test (``optimizers.SGD + WeightDecay``)."""
        return ' + '.join([f'optimizers.{self.optimizer}'] + [hook.name for hook in self.hooks])


#: ``(atol, rtol)`` of the parameters after each step against the reference device.
DEFAULT_OPTIMIZER_TOLERANCES: Mapping[str, tuple[float, float]] = {
    'float16': (1e-2, 1e-2),
    'float32': (1e-6, 1e-5),
    'float64': (1e-12, 1e-10),
}


def constant_noise(xp: Any, shape: tuple[int, ...], dtype: Any, hook: Any, rule: Any) -> Any:
    """Noise of ``hook.eta / (1 + rule.t)`` everywhere: the same numbers on every backend.

    ``xp`` is the parameter's array module, as Chainer passes it. The default
    noise comes from each device's own generator, whose streams differ
    between backends, so the cross-backend case uses this one.
    """
    return xp.full(shape, hook.eta / (1 + rule.t), dtype=dtype)


_MOMENTUM = {'lr': 0.1, 'momentum': 0.9}
# M-SVAG divides its variance estimate by 1 - rho, which is 1e-4 at the first step: float32
# rounding differences between backends (fused multiply-adds) grow by that factor.
_MSVAG_TOLERANCES = {'float32': (1e-3, 1e-3)}

OPTIMIZER_CASES: tuple[OptimizerCase, ...] = (
    OptimizerCase('SGD', kwargs={'lr': 0.1}),
    OptimizerCase('MomentumSGD', kwargs=_MOMENTUM),
    OptimizerCase('CorrectedMomentumSGD', kwargs=_MOMENTUM),
    OptimizerCase('NesterovAG', kwargs=_MOMENTUM),
    OptimizerCase('AdaGrad', kwargs={'lr': 0.1}),
    OptimizerCase('AdaDelta'),
    OptimizerCase('RMSprop'),
    OptimizerCase('RMSprop', name='RMSprop_eps_inside_sqrt', kwargs={'eps_inside_sqrt': True}),
    OptimizerCase('RMSpropGraves', kwargs={'lr': 0.01}),
    OptimizerCase('Adam'),
    OptimizerCase('Adam', name='Adam_weight_decay', kwargs={'eta': 0.5,
                                                             'weight_decay_rate': 0.01}),
    OptimizerCase('AdamW', kwargs={'weight_decay_rate': 0.01}),
    OptimizerCase('AMSGrad'),
    OptimizerCase('AdaBound'),
    OptimizerCase('AMSBound'),
    OptimizerCase('SMORMS3', kwargs={'lr': 0.01}),
    OptimizerCase('MSVAG', tolerances=_MSVAG_TOLERANCES),
    OptimizerCase('MSVAG', name='MSVAG_weight_decay', kwargs={'weight_decay_rate': 0.01},
                  tolerances=_MSVAG_TOLERANCES),
    OptimizerCase('MomentumSGD', name='WeightDecay', kwargs=_MOMENTUM,
                  hooks=(Hook('WeightDecay', {'rate': 0.01}),)),
    OptimizerCase('MomentumSGD', name='Lasso', kwargs=_MOMENTUM,
                  hooks=(Hook('Lasso', {'rate': 0.01}),)),
    OptimizerCase('MomentumSGD', name='GradientClipping', kwargs=_MOMENTUM,
                  hooks=(Hook('GradientClipping', {'threshold': 1.0}),)),
    OptimizerCase('MomentumSGD', name='GradientHardClipping', kwargs=_MOMENTUM,
                  hooks=(Hook('GradientHardClipping', {'lower_bound': -0.5,
                                                       'upper_bound': 0.5}),)),
    OptimizerCase('SGD', name='GradientNoise', kwargs={'lr': 0.1},
                  hooks=(Hook('GradientNoise', {'eta': 0.3, 'noise_func': constant_noise}),)),
    OptimizerCase('MomentumSGD', name='GradientLARS', kwargs=_MOMENTUM,
                  hooks=(Hook('GradientLARS', {'weight_decay': 0.001}),)),
    OptimizerCase('SGD', name='FreezeParameters', kwargs={'lr': 0.1},
                  hooks=(Hook('FreezeParameters', {'targets': '/p1'}),)),
    OptimizerCase('Adam', name='Adam_all_gradient_hooks',
                  hooks=(Hook('FreezeParameters', {'targets': '/p0'}),
                         Hook('WeightDecay', {'rate': 0.01}),
                         Hook('GradientClipping', {'threshold': 0.5}))),
)
