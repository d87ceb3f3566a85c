"""First-order optimizers (Chainer's ``chainer.optimizers``)."""

from polychain.optimizers.ada_grad import AdaDelta, AdaDeltaRule, AdaGrad, AdaGradRule
from polychain.optimizers.adam import AdaBound, Adam, AdamRule, AdamW, AMSBound, AMSGrad
from polychain.optimizers.momentum_sgd import (
    CorrectedMomentumSGD,
    CorrectedMomentumSGDRule,
    MomentumSGD,
    MomentumSGDRule,
    NesterovAG,
    NesterovAGRule,
)
from polychain.optimizers.msvag import MSVAG, MSVAGRule
from polychain.optimizers.rmsprop import RMSprop, RMSpropGraves, RMSpropGravesRule, RMSpropRule
from polychain.optimizers.sgd import SGD, SGDRule
from polychain.optimizers.smorms3 import SMORMS3, SMORMS3Rule

__all__ = [
    'MSVAG', 'SGD', 'SMORMS3', 'AMSBound', 'AMSGrad', 'AdaBound', 'AdaDelta', 'AdaDeltaRule',
    'AdaGrad', 'AdaGradRule', 'Adam', 'AdamRule', 'AdamW', 'CorrectedMomentumSGD',
    'CorrectedMomentumSGDRule', 'MSVAGRule', 'MomentumSGD', 'MomentumSGDRule', 'NesterovAG',
    'NesterovAGRule', 'RMSprop', 'RMSpropGraves', 'RMSpropGravesRule', 'RMSpropRule', 'SGDRule',
    'SMORMS3Rule',
]
