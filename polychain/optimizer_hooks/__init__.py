"""Optimizer hooks: callables run by an optimizer before (or after) each update.

Register them with :meth:`polychain.optimizer.Optimizer.add_hook`.
"""

from polychain.optimizer_hooks.freeze_parameters import FreezeParameters
from polychain.optimizer_hooks.gradient_clipping import GradientClipping, GradientHardClipping
from polychain.optimizer_hooks.gradient_lars import GradientLARS
from polychain.optimizer_hooks.gradient_noise import GradientNoise, exponential_decay_noise
from polychain.optimizer_hooks.weight_decay import Lasso, WeightDecay

__all__ = ['FreezeParameters', 'GradientClipping', 'GradientHardClipping', 'GradientLARS',
           'GradientNoise', 'Lasso', 'WeightDecay', 'exponential_decay_noise']
