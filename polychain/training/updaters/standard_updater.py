"""StandardUpdater: one batch, one forward/backward, one optimizer update per iteration."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from polychain.backend.device import Device
from polychain.backend.device_classes import GpuDevice
from polychain.backend.registry import get_device
from polychain.compiler.jit import CompiledFunction
from polychain.dataset import call_converter, concat_examples
from polychain.dataset.convert import convert_for_compiled_step
from polychain.link import Link
from polychain.training._updater import Updater


class StandardUpdater(Updater):
    """Fetches a batch, converts it, computes the loss and updates the parameters.

    Args:
        iterator: An iterator, or a dict of them (the one called ``'main'`` is used).
        optimizer: An optimizer, or a dict of them (``'main'`` is updated).
        converter: Turns a batch into arrays on ``device`` (default ``concat_examples``).
        device: The device of the models (a specifier, Device or int): the targets of the
            optimizers are sent there, except that a model already on a GPU stays on its
            GPU. It is also where batches go unless ``input_device`` is given; ``None``
            leaves the models where they are and the batches on the host.
        loss_func: Called with the converted batch to give the loss; defaults to the
            main optimizer's target.
        loss_scale: Multiplies the loss before backward.
        auto_new_epoch: Call ``optimizer.new_epoch()`` when the iterator starts one.
        input_device: Where the converter sends the batches (default ``device``).
        compile: Compile each step (forward, backward, the update and its hooks,
            the reports) into one program per input signature on backends that
            compile (JAX; see :func:`polychain.jit`); other backends run it
            eagerly and warn once. The first step, which creates lazily
            initialised parameters and optimizer state, is a program of its
            own, run once. A compiled update keeps no gradients (``param.grad`` is ``None``
            after it, as after ``cleargrads()``).
    """

    def __init__(self, iterator: Any, optimizer: Any, converter: Callable[..., Any] | None = None,
                 device: Any = None, loss_func: Callable[..., Any] | None = None,
                 loss_scale: float | None = None, auto_new_epoch: bool = True, *,
                 input_device: Any = None, compile: bool = False) -> None:
        self._iterators = iterator if isinstance(iterator, dict) else {'main': iterator}
        self._optimizers = optimizer if isinstance(optimizer, dict) else {'main': optimizer}
        self.converter = converter if converter is not None else concat_examples
        self.device = _as_device(device)
        self.input_device = self.device if input_device is None else _as_device(input_device)
        if self.device is not None:
            for o in self._optimizers.values():
                _send_model(o.target, self.device)
        self.loss_func = loss_func
        self.loss_scale = loss_scale
        self.auto_new_epoch = auto_new_epoch
        self.iteration = 0
        self.compile = compile
        self._compiled: dict[str, CompiledFunction] = {}
        if auto_new_epoch:
            for o in self._optimizers.values():
                o.use_auto_new_epoch = True

    @property
    def epoch(self) -> int:
        return self._iterators['main'].epoch

    @property
    def epoch_detail(self) -> float:
        return self._iterators['main'].epoch_detail

    @property
    def previous_epoch_detail(self) -> float | None:
        return self._iterators['main'].previous_epoch_detail

    @property
    def is_new_epoch(self) -> bool:
        return self._iterators['main'].is_new_epoch

    def get_iterator(self, name: str) -> Any:
        """The iterator called ``name``."""
        return self._iterators[name]

    def get_optimizer(self, name: str) -> Any:
        """The optimizer called ``name``."""
        return self._optimizers[name]

    def get_all_optimizers(self) -> dict[str, Any]:
        """Every optimizer by name."""
        return dict(self._optimizers)

    def connect_trainer(self, trainer: Any) -> None:
        """Called by the Trainer that runs this updater."""

    def update(self) -> None:
        """Runs one iteration."""
        self.update_core()
        self.iteration += 1

    def update_core(self) -> None:
        """Fetches a batch and updates the main optimizer with its loss."""
        iterator = self._iterators['main']
        batch = iterator.next()
        optimizer = self._optimizers['main']
        if self.compile:
            in_arrays = convert_for_compiled_step(self.converter, batch, self.input_device)
            update = self._compiled_update('main')
        else:
            in_arrays = call_converter(self.converter, batch, self.input_device)
            update = self._update_main
        if isinstance(in_arrays, tuple):
            update(*in_arrays)
        elif isinstance(in_arrays, dict):
            update(**in_arrays)
        else:
            update(in_arrays)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def _update_main(self, *args: Any, **kwargs: Any) -> None:
        """Updates the main optimizer with the loss of one converted batch."""
        optimizer = self._optimizers['main']
        optimizer.update(self.loss_func or optimizer.target, *args, **kwargs)

    def _compiled_update(self, name: str) -> CompiledFunction:
        """:meth:`_update_main` compiled with the state of the optimizer and the loss."""
        compiled = self._compiled.get(name)
        if compiled is None:
            state = [self._optimizers[name]]
            if isinstance(self.loss_func, Link):
                state.append(self.loss_func)
            compiled = self._compiled[name] = CompiledFunction(self._update_main, state,
                                                               keep_grads=False)
        return compiled

    def finalize(self) -> None:
        """Releases the iterators' resources."""
        for iterator in self._iterators.values():
            finalize = getattr(iterator, 'finalize', None)
            if finalize is not None:
                finalize()

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the iteration, the iterators and the optimizers."""
        for name, iterator in self._iterators.items():
            iterator.serialize(serializer['iterator:' + name])
        for name, optimizer in self._optimizers.items():
            optimizer.serialize(serializer['optimizer:' + name])
            optimizer.target.serialize(serializer['model:' + name])
        self.iteration = serializer('iteration', self.iteration)


def _as_device(device: Any) -> Device | None:
    if device is None or isinstance(device, Device):
        return device
    return get_device(device)


def _send_model(model: Any, device: Device) -> None:
    """Sends ``model`` to ``device``; a model on a CuPy GPU stays on its GPU (Chainer's rule)."""
    if isinstance(device, GpuDevice) and isinstance(model.device, GpuDevice):
        if model.device != device:
            warnings.warn(f'StandardUpdater: the model is on {model.device} and device is '
                          f'{device}; a model already on a GPU is not moved to another GPU',
                          FutureWarning, stacklevel=3)
        return
    model.to_device(device)
