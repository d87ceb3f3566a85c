"""Callbacks around function applications (Chainer's ``chainer.function_hooks``)."""

from polychain.function_hooks.cuda_profile import CUDAProfileHook
from polychain.function_hooks.cupy_memory_profile import CupyMemoryProfileHook
from polychain.function_hooks.function_hook import FunctionHook, get_function_hooks
from polychain.function_hooks.print_hook import PrintHook
from polychain.function_hooks.timer import TimerHook

__all__ = [
    'CUDAProfileHook', 'CupyMemoryProfileHook', 'FunctionHook', 'PrintHook', 'TimerHook',
    'get_function_hooks',
]
