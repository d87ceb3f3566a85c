"""MultiprocessParallelUpdater: data-parallel training with one process per device.

The process that builds the updater trains on the first device; one worker
process per other device trains a copy of the model on its own iterator. Each
iteration the workers send their gradients, packed into one array, through a
pipe; the main process sums them into its model, updates it, and sends the
new parameters back. Arrays cross between processes through the host, so any
mix of backends works (two ``@numpy`` devices, ``@numpy`` and ``@jax:cpu:0``,
CuPy GPUs).
"""

from __future__ import annotations

import atexit
import functools
import multiprocessing
import pickle
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy

from polychain.backend.registry import get_device, to_host
from polychain.dataset import call_converter, concat_examples
from polychain.training.updaters._loss import call_loss
from polychain.training.updaters._packing import pack, unpack
from polychain.training.updaters._worker import run_worker
from polychain.training.updaters.standard_updater import StandardUpdater

_EPS_PER_DEVICE = ('Adam', 'AdaGrad', 'RMSprop')
_EPS_PER_SQUARED_DEVICE = ('RMSpropGraves', 'AdaDelta')


class MultiprocessParallelUpdater(StandardUpdater):
    """Trains one model copy per device, each in its own process, summing the gradients.

    As in Chainer, the optimizer's hyperparameters are corrected for the
    larger total batch, with a ``UserWarning``: ``eps`` is multiplied by the
    number of devices for Adam, AdaGrad and RMSprop (by its square for
    RMSpropGraves and AdaDelta), otherwise ``lr`` is divided by it.

    Args:
        iterators: One iterator per device, on datasets of equal lengths (for
            example from :func:`~polychain.datasets.split_dataset_n_random`);
            the first one drives the epochs.
        optimizer: The optimizer of the model; its target trains on the first device.
        converter: Turns a batch into arrays on a device.
        devices: The devices (specifiers, Devices or Chainer's ints), as a
            list or tuple, or a dict whose ``'main'`` entry comes first.
        auto_new_epoch: Call ``optimizer.new_epoch()`` when the first iterator
            starts one.
        start_method: How the worker processes start (``'fork'``, ``'spawn'``
            or ``'forkserver'``); default: multiprocessing's current method,
            except that workers of a backend that cannot be forked (JAX) start
            from a fork server. With ``'spawn'`` and ``'forkserver'`` the model,
            the iterators and the converter are pickled into the workers, and
            a script must keep its training code under
            ``if __name__ == '__main__':``.

    Raises:
        ValueError: ``devices`` is missing, of another type, or not as long
            as ``iterators``, or the iterators' datasets differ in length.
        RuntimeError: CUDA is already initialised in this process and the
            workers would be forked.
    """

    def __init__(self, iterators: Sequence[Any], optimizer: Any,
                 converter: Callable[..., Any] = concat_examples, devices: Any = None,
                 auto_new_epoch: bool = True, *, start_method: str | None = None) -> None:
        devices = _device_list(devices)
        if len(iterators) != len(devices):
            raise ValueError(f'MultiprocessParallelUpdater: expected one iterator per device, '
                             f'received {len(iterators)} iterators for {len(devices)} devices')
        lengths = {len(iterator.dataset) for iterator in iterators}
        if len(lengths) > 1:
            raise ValueError(f'MultiprocessParallelUpdater: the datasets of the iterators must '
                             f'have one length, received the lengths {sorted(lengths)}')
        self._start_method = start_method or _default_start_method(devices)
        if self._start_method == 'fork' and _cuda_initialized(devices):
            raise RuntimeError(
                'MultiprocessParallelUpdater: the CUDA context has been already initialized in '
                'this process, and forked workers cannot use it. Create the updater before '
                'calling CUDA, or use multiprocessing.set_start_method with "spawn" or '
                '"forkserver" (or pass start_method=).')
        _scale_hyperparameters(optimizer, len(devices))
        super().__init__(iterators[0], optimizer, converter=converter,
                         auto_new_epoch=auto_new_epoch)
        self._master = optimizer.target
        self._devices = devices
        self._mpu_iterators = list(iterators)
        self._initialized = False
        self._pipes: list[Any] = []
        self._workers: list[Any] = []
        self._stop_at_exit: Callable[[], None] | None = None

    @staticmethod
    def available() -> bool:
        """Whether the updater can run here: always, as arrays travel through the host."""
        return True

    def setup_workers(self) -> None:
        """Starts the worker processes (the first :meth:`update` calls it)."""
        if self._initialized:
            return
        self._initialized = True
        self._master.cleargrads()
        context = multiprocessing.get_context(self._start_method)
        for rank in range(1, len(self._devices)):
            pipe, worker_end = context.Pipe()
            worker = context.Process(
                target=run_worker,
                args=(worker_end, self._master, str(self._devices[rank]),
                      self._mpu_iterators[rank], self.converter, self.loss_scale),
                name=f'MultiprocessParallelUpdater-{rank}')
            try:
                worker.start()
            except (pickle.PicklingError, AttributeError, TypeError) as error:
                self.finalize()
                raise RuntimeError(
                    f'MultiprocessParallelUpdater: could not start the worker of '
                    f'{self._devices[rank]} with start_method={self._start_method!r} '
                    f'({error}); the model, the iterators and the converter must be picklable '
                    f'(no lambdas or local functions)') from error
            worker_end.close()
            self._pipes.append(pipe)
            self._workers.append(worker)
        if self._workers:
            self._stop_at_exit = functools.partial(_stop_workers, self._pipes, self._workers)
            atexit.register(self._stop_at_exit)
        self._master.to_device(self._devices[0])

    def update_core(self) -> None:
        """One iteration on every device; the main process sums the gradients and updates."""
        self.setup_workers()
        for pipe in self._pipes:
            pipe.send(('update', None))
        device = self._devices[0]
        optimizer = self.get_optimizer('main')
        iterator = self.get_iterator('main')
        with device.create_context():
            self._master.cleargrads()
            batch = call_converter(self.converter, iterator.next(), device)
            loss = call_loss(self._master, batch)
            self._master.cleargrads()
            loss.backward(loss_scale=self.loss_scale)
            del loss
            if self._pipes:
                grads = to_host(pack(self._master, 'grad'))
                for rank, pipe in enumerate(self._pipes, 1):
                    grads = grads + self._receive(rank, pipe)
                unpack(self._master, grads, 'grad')
            optimizer.update()
            if self._pipes:
                params = to_host(pack(self._master, 'array'))
                for pipe in self._pipes:
                    pipe.send(('params', params))
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def _receive(self, rank: int, pipe: Any) -> numpy.ndarray:
        try:
            status, payload = pipe.recv()
        except EOFError:
            raise RuntimeError(f'MultiprocessParallelUpdater: the worker of '
                               f'{self._devices[rank]} exited unexpectedly') from None
        if status == 'error':
            raise RuntimeError(f'MultiprocessParallelUpdater: the worker of '
                               f'{self._devices[rank]} failed:\n{payload}')
        return payload

    def finalize(self) -> None:
        """Stops the worker processes, then finalizes the iterators."""
        if self._stop_at_exit is not None:
            atexit.unregister(self._stop_at_exit)
            self._stop_at_exit = None
        _stop_workers(self._pipes, self._workers)
        self._pipes, self._workers = [], []
        super().finalize()


def _device_list(devices: Any) -> list[Any]:
    if isinstance(devices, dict):
        if 'main' not in devices:
            raise ValueError("MultiprocessParallelUpdater: a dict of devices needs a 'main' key")
        ordered = [devices['main']] + [d for name, d in devices.items() if name != 'main']
    elif isinstance(devices, (list, tuple)):
        ordered = list(devices)
    else:
        raise ValueError(f'MultiprocessParallelUpdater: devices should be a dict, list or '
                         f'tuple, received {type(devices).__name__}')
    if not ordered or any(device is None for device in ordered):
        raise ValueError('MultiprocessParallelUpdater: devices must be specified')
    return [get_device(device) for device in ordered]


def _default_start_method(devices: list[Any]) -> str:
    """multiprocessing's current method, unless it forks and a device's backend cannot be forked."""
    method = multiprocessing.get_start_method()
    if method == 'fork' and not all(device.backend.fork_safe for device in devices):
        return 'forkserver' if 'forkserver' in multiprocessing.get_all_start_methods() else 'spawn'
    return method


def _scale_hyperparameters(optimizer: Any, n_devices: int) -> None:
    name = type(optimizer).__name__
    if name in _EPS_PER_DEVICE:
        optimizer.eps *= n_devices
        warnings.warn(f'optimizer.eps is changed to {optimizer.eps} by '
                      f'MultiprocessParallelUpdater for new batch size.', UserWarning, stacklevel=3)
    elif name in _EPS_PER_SQUARED_DEVICE:
        optimizer.eps *= n_devices ** 2
        warnings.warn(f'optimizer.eps is changed to {optimizer.eps} by '
                      f'MultiprocessParallelUpdater for new batch size.', UserWarning, stacklevel=3)
    elif hasattr(optimizer, 'lr'):
        optimizer.lr /= n_devices
        warnings.warn(f'optimizer.lr is changed to {optimizer.lr} by '
                      f'MultiprocessParallelUpdater for new batch size.', UserWarning, stacklevel=3)


def _cuda_initialized(devices: list[Any]) -> bool:
    """Whether a CUDA context exists in this process while a device is a CuPy GPU."""
    if not any(device.backend.name == 'cupy' for device in devices):
        return False
    cupy = sys.modules.get('cupy')
    if cupy is None:
        return False
    try:
        return bool(cupy.cuda.driver.ctxGetCurrent())
    except Exception:  # a driver that cannot answer has no context of ours
        return False


def _stop_workers(pipes: list[Any], workers: list[Any]) -> None:
    for pipe in pipes:
        try:
            pipe.send(('finalize', None))
        except (BrokenPipeError, OSError):
            pass
    for worker in workers:
        worker.join()
    for pipe in pipes:
        pipe.close()


def _gpu_link(link: Any, where: str) -> Any:
    if link.device.backend.name != 'cupy':
        raise RuntimeError(f'{where} works only on GPU (a CuPy device); the link is on '
                           f'{link.device}')
    return link


def gather_grads(link: Any) -> Any:
    """The gradients of ``link``'s parameters packed into one flat CuPy array.

    Raises:
        RuntimeError: The link is not on a CuPy GPU.
    """
    return pack(_gpu_link(link, 'gather_grads'), 'grad')


def gather_params(link: Any) -> Any:
    """The values of ``link``'s parameters packed into one flat CuPy array.

    Raises:
        RuntimeError: The link is not on a CuPy GPU.
    """
    return pack(_gpu_link(link, 'gather_params'), 'array')


def scatter_grads(link: Any, array: Any) -> None:
    """Sets the gradients of ``link``'s parameters from :func:`gather_grads`'s array."""
    unpack(link, array, 'grad')


def scatter_params(link: Any, array: Any) -> None:
    """Sets the values of ``link``'s parameters from :func:`gather_params`'s array."""
    unpack(link, array, 'array')
