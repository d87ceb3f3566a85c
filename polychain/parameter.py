"""Parameters: variables that links own and optimizers update."""

from __future__ import annotations

import math
import numbers
import operator
from typing import Any

import numpy

from polychain import variable
from polychain.backend.device import Device
from polychain.backend.registry import get_device, to_host
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

    As in Chainer, a parameter created with a shape, or initialised later, starts
    with a NaN-filled gradient, so that a backward pass that forgets
    ``cleargrads()`` shows up as NaN; one created from an array starts with
    none. Reading the gradient of an uninitialised parameter raises
    ``RuntimeError`` until :meth:`cleargrad` (or ``zerograd``) says what it
    should be.
    """

    __slots__ = ('initializer', 'update_rule', '_initial_device', '_loss_scale',
                 '_grad_fill', '_grad_valid')

    def __init__(self, initializer: Any = None, shape: Any = None,
                 name: str | None = None) -> None:
        self.update_rule = None
        #: The factor the gradient was scaled by (set by an optimizer with loss scaling).
        self._loss_scale = None
        self._initial_device: Device = get_device('@numpy')
        #: What the gradient is filled with at initialisation (``None``: no gradient).
        self._grad_fill: float | None = math.nan
        self._grad_valid = True
        if initializer is None:
            initializer = NaN()
        elif not isinstance(initializer, Initializer) and _is_array(initializer):
            super().__init__(initializer, name=name)
            self.initializer = _ArrayInitializer(initializer)
            self._grad_fill = None
            return
        elif not callable(initializer):
            initializer = get_initializer(initializer)
        self.initializer = initializer
        super().__init__(None, name=name)
        self._grad_valid = shape is not None
        if shape is not None:
            self.initialize(shape)
            self._grad_fill = None  # as in Chainer: only a lazy parameter refills with NaN

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
        initializer's (``config.dtype`` for an initializer whose ``dtype`` is ``None``).

        Raises:
            RuntimeError: The parameter is uninitialised and its initializer has no
                ``dtype`` attribute.
        """
        if self._data is not None:
            return self._data.dtype
        if not hasattr(self.initializer, 'dtype'):
            raise RuntimeError('the dtype of an uninitialised Parameter whose initializer '
                               'has no dtype attribute is not known until it is initialised')
        return get_dtype(self.initializer.dtype)

    @property
    def grad(self) -> Any:
        """The gradient array, or ``None``.

        Raises:
            RuntimeError: The parameter is uninitialised and neither :meth:`cleargrad`
                nor ``zerograd`` was called.
        """
        if not self._grad_valid:
            raise RuntimeError('the gradient of an uninitialised Parameter is not set; '
                               'call cleargrad() (or initialize) first')
        return Variable.grad.fget(self)

    @grad.setter
    def grad(self, g: Any) -> None:
        Variable.grad.fset(self, g)
        self._grad_valid = True

    def initialize(self, shape: Any) -> None:
        """Creates the array of ``shape`` with the initializer, on the parameter's device,
        and its gradient: NaN-filled, or what :meth:`cleargrad`/``zerograd`` asked for."""
        shape = (operator.index(shape),) if isinstance(shape, numbers.Integral) \
            else tuple(shape)
        device = self.device
        self.array = data = generate_array(self.initializer, shape, device=device)
        fill = self._grad_fill
        self.grad = None if fill is None else device.namespace.full_like(data, fill)

    def cleargrad(self) -> None:
        """Sets the gradient to ``None`` (an uninitialised parameter keeps none when it is
        initialised)."""
        super().cleargrad()
        self._grad_valid = True
        if self._data is None:
            self._grad_fill = None

    def zerograd(self) -> None:
        """Sets the gradient to zeros (deprecated: use :meth:`cleargrad`); an uninitialised
        parameter gets zeros when it is initialised."""
        super().zerograd()
        self._grad_valid = True
        if self._data is None:
            self._grad_fill = 0.0

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
        data = None if self._data is None else to_host(self._data)
        grad = Variable.grad.fget(self)
        grad = None if grad is None else to_host(grad)
        return _restore_parameter, (data, self.initializer, self.name, str(self.device),
                                    grad, self.update_rule)


# Chainer's chainer.variable.Parameter (polychain.variable, below this module, does not
# import it).
variable.Parameter = Parameter


class _ArrayInitializer:
    """Re-creates a parameter from the array it was built with (used by ``copy(mode='init')``)."""

    def __init__(self, array: Any) -> None:
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
