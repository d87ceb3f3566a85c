"""Dataset iterators: serial, multithreaded and multiprocess, and order samplers."""

from polychain.iterators.dali_iterator import DaliIterator
from polychain.iterators.multiprocess_iterator import MultiprocessIterator
from polychain.iterators.multithread_iterator import MultithreadIterator
from polychain.iterators.order_samplers import OrderSampler, ShuffleOrderSampler
from polychain.iterators.serial_iterator import SerialIterator

__all__ = [
    'DaliIterator', 'MultiprocessIterator', 'MultithreadIterator', 'OrderSampler', 'SerialIterator',
    'ShuffleOrderSampler',
]
