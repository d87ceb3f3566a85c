"""Callbacks around link calls (Chainer's ``chainer.link_hooks``)."""

from polychain.link_hooks.link_hook import (
    ForwardPostprocessCallbackArgs,
    ForwardPreprocessCallbackArgs,
    LinkHook,
    get_link_hooks,
)
from polychain.link_hooks.timer import TimerLinkHook

__all__ = ['ForwardPostprocessCallbackArgs', 'ForwardPreprocessCallbackArgs', 'LinkHook',
           'TimerLinkHook', 'get_link_hooks']
