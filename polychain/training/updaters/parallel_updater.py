"""ParallelUpdater: data-parallel training on several devices in one process."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from polychain.backend.registry import get_device
from polychain.configuration import force_backprop_mode
from polychain.dataset import call_converter, concat_examples
from polychain.training.updaters._loss import call_loss
from polychain.training.updaters.standard_updater import StandardUpdater


class ParallelUpdater(StandardUpdater):
    """Splits each batch over one model copy per device and sums their gradients on ``'main'``.

    Every iteration, the batch is split into one sub-batch per model (example
    ``i`` goes to model ``i % n``), each model computes its loss on its own
    device, the gradients of the other models are added to the main model's
    (the optimizer's target), the optimizer updates it, and the other models
    copy its new parameters. Devices may be of any backends (two NumPy
    models, NumPy and JAX, ...).

    Args:
        iterator: An iterator, or a dict of them (the one called ``'main'`` is used).
        optimizer: An optimizer, or a dict of them (``'main'`` is updated).
        converter: Turns a sub-batch into arrays on a model's device.
        models (dict): The model of each name, ``'main'`` being the
            optimizer's target; ``None`` makes them from ``devices``.
        devices (dict): The device of each name (specifiers, Devices or
            Chainer's ints). Without ``models``, ``'main'`` must be among them:
            the optimizer's target moves to ``devices['main']`` and a deep copy
            of it goes to each other device. With ``models`` and no
            ``devices``, each model's own device is used.
        loss_func: Called with a model's converted sub-batch to give its loss;
            defaults to the model itself.
        loss_scale: Multiplies the losses before backward.
        auto_new_epoch: Call ``optimizer.new_epoch()`` when the iterator starts one.

    Raises:
        ValueError: Neither ``models`` nor ``devices`` is given.
        KeyError: ``devices`` has no ``'main'`` key.
    """

    def __init__(self, iterator: Any, optimizer: Any,
                 converter: Callable[..., Any] = concat_examples,
                 models: dict[str, Any] | None = None, devices: dict[str, Any] | None = None,
                 loss_func: Callable[..., Any] | None = None, loss_scale: float | None = None,
                 auto_new_epoch: bool = True) -> None:
        super().__init__(iterator, optimizer, converter=converter, loss_func=loss_func,
                         loss_scale=loss_scale, auto_new_epoch=auto_new_epoch)
        if models is None:
            if devices is None:
                raise ValueError('ParallelUpdater: either models or devices must be given')
            if 'main' not in devices:
                raise KeyError(f"ParallelUpdater: devices must have a 'main' key, received "
                               f'the keys {sorted(devices)}')
            devices = {name: get_device(spec) for name, spec in devices.items()}
            main = self.get_optimizer('main').target
            models = {'main': main}
            for name, device in devices.items():
                if name != 'main':
                    models[name] = copy.deepcopy(main).to_device(device)
            main.to_device(devices['main'])
        elif devices is None:
            devices = {name: model.device for name, model in models.items()}
        else:
            devices = {name: get_device(spec) for name, spec in devices.items()}
        self._models = models
        self._devices = devices

    def connect_trainer(self, trainer: Any) -> None:
        """Lets the Trainer's reporter observe the models other than the main one."""
        main = self.get_optimizer('main').target
        for name, model in self._models.items():
            if model is not main:
                trainer.reporter.add_observer(name, model)

    def update_core(self) -> None:
        """Computes each model's loss on its share of the batch and updates the main model."""
        optimizer = self.get_optimizer('main')
        main = optimizer.target
        iterator = self.get_iterator('main')
        batch = iterator.next()
        n = len(self._models)
        inputs = {name: call_converter(self.converter, batch[i::n], self._devices[name])
                  for i, name in enumerate(self._models)}
        for model in self._models.values():
            model.cleargrads()
        losses = []
        for name, model in self._models.items():
            loss_func = self.loss_func or model
            with force_backprop_mode(), self._devices[name].create_context():
                losses.append(call_loss(loss_func, inputs[name]))
        for model in self._models.values():
            model.cleargrads()  # parameters initialised by the forward passes get no stale grads
        for loss in losses:
            loss.backward(loss_scale=self.loss_scale)
        others = [model for model in self._models.values() if model is not main]
        for model in others:
            main.addgrads(model)
        optimizer.update()
        for model in others:
            model.copyparams(main)
        if self.auto_new_epoch and iterator.is_new_epoch:
            optimizer.new_epoch(auto=True)

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the state; the other models then copy the main model's parameters."""
        super().serialize(serializer)
        main = self.get_optimizer('main').target
        for model in self._models.values():
            if model is not main:
                model.copyparams(main)

