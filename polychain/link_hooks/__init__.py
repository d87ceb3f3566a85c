"""Callbacks around link calls (Chainer's ``chainer.link_hooks``)."""

from polychain.link_hooks.link_hook import (
    ForwardPostprocessCallbackArgs,
    ForwardPreprocessCallbackArgs,
    LinkHook,
    get_link_hooks,
)
from polychain.link_hooks.spectral_normalization import SpectralNormalization
from polychain.link_hooks.timer import TimerHook
from polychain.link_hooks.weight_standardization import WeightStandardization

__all__ = ['ForwardPostprocessCallbackArgs', 'ForwardPreprocessCallbackArgs', 'LinkHook',
           'SpectralNormalization', 'TimerHook', 'WeightStandardization', 'get_link_hooks']
