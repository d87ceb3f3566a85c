"""Parameters: variables that links own and optimizers update."""

from __future__ import annotations

from typing import Any

import numpy

from polychain.backend.device import Device
from polychain.backend.registry import get_device
from polychain.configuration import get_dtype
from polychain.initializers import Initializer, NaN, generate_array, get_initializer
from polychain.variable import Variable


class Parameter(Variable):
    """A :class:`Variable` that is trained; its array may be created lazily.

    Args:
        initializer: An array (used as the data), a scalar, an
            :class:`~polychain.initializers.Initializer`, or ``None`` (NaN).
        shape: The shape to initialise with now; ``None`` with a non-array
            initializer leaves the parameter uninitialised until
            :meth:`initialize` is called (e.g. by ``L.Linear(None, n)`` on its
            first input).
        name: The parameter's name.
    """

    __slots__ = ('initializer', 'update_rule', '_initial_device', '_loss_scale')

    def __init__(self, initializer: Any = None, shape: Any = None,
                 name: str | None = None) -> None:
        self.update_rule = None
        #: The factor the gradient was scaled by (set by an optimizer with loss scaling).
        self._loss_scale = None
        self._initial_device: Device = get_device('@numpy')
        if initializer is None:
            initializer = NaN()
        elif not isinstance(initializer, Initializer) and _is_array(initializer):
            super().__init__(initializer, name=name)
            self.initializer = _ArrayInitializer(initializer)
            return
        elif not callable(initializer):
            initializer = get_initializer(initializer)
        self.initializer = initializer
        super().__init__(None, name=name)
        if shape is not None:
            self.initialize(shape)

    @property
    def is_initialized(self) -> bool:
        """Whether the array exists."""
        return self._data is not None

    @property
    def device(self) -> Device:
        return self._initial_device if self._data is None else self._device

    @property
    def dtype(self) -> Any:
        """The dtype of the array; before :meth:`initialize`, the one it will get: the
        initializer's, else ``config.dtype``."""
        if self._data is None:
            return get_dtype(getattr(self.initializer, 'dtype', None))
        return self._data.dtype

    def initialize(self, shape: Any) -> None:
        """Creates the array of ``shape`` with the initializer, on the parameter's device."""
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        self.array = generate_array(self.initializer, shape, device=self.device)
        self.cleargrad()

    def update(self) -> None:
        """Updates the array with its update rule (set by an optimizer's ``setup``)."""
        if self.update_rule is not None:
            self.update_rule.update(self)

    def to_device(self, device: Any) -> Parameter:
        self._initial_device = get_device(device)
        if self._data is None:
            return self
        super().to_device(self._initial_device)
        return self

    def __reduce__(self):
        from polychain.backend.registry import to_host
        data = None if self._data is None else to_host(self._data)
        grad = self.grad
        grad = None if grad is None else to_host(grad)
        return _restore_parameter, (data, self.initializer, self.name, str(self.device),
                                    grad, self.update_rule)


class _ArrayInitializer:
    """Re-creates a parameter from the array it was built with (used by ``copy(mode='init')``)."""

    def __init__(self, array: Any) -> None:
        from polychain.backend.registry import to_host
        self._host = numpy.array(to_host(array))
        self.dtype = self._host.dtype

    def __call__(self, array: numpy.ndarray) -> None:
        array[...] = self._host


def _is_array(value: Any) -> bool:
    return hasattr(value, 'shape') and hasattr(value, 'dtype')


def _restore_parameter(data, initializer, name, device, grad=None, update_rule=None):
    param = Parameter(data if data is not None else initializer, name=name)
    param.to_device(device)
    if grad is not None:
        param.grad = param.device.send(grad)
    param.update_rule = update_rule
    return param
