"""DeviceResident: objects (links) whose arrays live on one device and move together.

``to_device`` walks the object and its sub-objects with a visitor: each
object's :meth:`DeviceResident.device_resident_accept` hands the visitor its
own variables and arrays, and the sub-objects it holds. Objects with state
beyond registered parameters and persistent values (such as the state of a
recurrent layer) override ``device_resident_accept`` to hand that over too.
"""

from __future__ import annotations

import warnings
from typing import Any

from polychain.backend.device import Device
from polychain.backend.registry import get_device

#: Methods a subclass may not override (``device_resident_accept`` is the extension point).
_FINAL_METHODS = ('to_device', 'to_chx', 'from_chx')
#: Deprecated ways of moving an object; an override is still called when moving to its device.
_LEGACY_METHODS = ('to_cpu', 'to_gpu', 'to_intel64')


def _legacy_method_for(device: Device) -> tuple[str, tuple[Any, ...]] | None:
    """The deprecated method (and its arguments) that moves an object to ``device``, if any."""
    name = getattr(getattr(device, 'backend', None), 'name', None)
    if name == 'numpy':
        return 'to_cpu', ()
    if name == 'cupy':
        return 'to_gpu', (getattr(device.native, 'id', 0),)
    if name == 'intel64':
        return 'to_intel64', ()
    return None


class DeviceResidentsVisitor:
    """Visits device residents, their variables and their arrays (a base class)."""

    def visit_device_resident(self, device_resident: DeviceResident) -> None:
        """Called for each object of the hierarchy."""
        raise NotImplementedError(f'{type(self).__name__} must implement '
                                  f'visit_device_resident')

    def visit_array(self, arr: Any) -> Any:
        """Called for each registered array; returns the array to keep in its place."""
        raise NotImplementedError(f'{type(self).__name__} must implement visit_array')

    def visit_variable(self, param: Any) -> None:
        """Called for each variable (parameters included)."""
        raise NotImplementedError(f'{type(self).__name__} must implement visit_variable')


class _ToDeviceVisitor(DeviceResidentsVisitor):
    """Moves everything it visits to ``device``.

    An object whose class overrides the deprecated method that moves to this
    device (``to_cpu`` for ``@numpy``...) is moved by calling that method,
    except ``skip``, the object whose own method started the move.
    """

    def __init__(self, device: Device, skip: Any = None) -> None:
        self.device = device
        self.skip = skip
        self._legacy = _legacy_method_for(device)

    def visit_device_resident(self, device_resident: DeviceResident) -> None:
        device_resident._device = self.device
        legacy = self._legacy
        if legacy is None or device_resident is self.skip:
            return
        name, args = legacy
        if getattr(type(device_resident), name) is not getattr(DeviceResident, name):
            getattr(device_resident, name)(*args)

    def visit_array(self, arr: Any) -> Any:
        return self.device.send(arr)

    def visit_variable(self, param: Any) -> None:
        param.to_device(self.device)


class DeviceResident:
    """A base class of objects whose arrays are kept on one device.

    Subclasses may not override ``to_device``, ``to_chx`` or ``from_chx``
    (TypeError when the class is defined); overriding the deprecated
    ``to_cpu``, ``to_gpu`` or ``to_intel64`` warns, and the override is called
    when the object is moved to that kind of device.
    """

    _device: Device | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _FINAL_METHODS:
            if name in cls.__dict__:
                raise TypeError(f'{cls.__name__} overrides {name}(), which cannot be '
                                f'overridden; override device_resident_accept() instead')
        for name in _LEGACY_METHODS:
            if name in cls.__dict__:
                warnings.warn(f'{cls.__name__} overrides {name}(), which is deprecated; '
                              f'override device_resident_accept() instead',
                              DeprecationWarning, stacklevel=2)

    def __init__(self) -> None:
        self._device = get_device('@numpy')

    @property
    def device(self) -> Device:
        """The device of the object's arrays."""
        return self._device

    def device_resident_accept(self, visitor: DeviceResidentsVisitor) -> None:
        """Hands this object, and what it holds, to ``visitor``."""
        visitor.visit_device_resident(self)

    def to_device(self, device: Any) -> DeviceResident:
        """Moves every registered array (recursively) to ``device``; returns ``self``.

        Args:
            device: A device specifier, as :func:`polychain.get_device` accepts.
        """
        self.device_resident_accept(_ToDeviceVisitor(get_device(device)))
        return self

    def _move_from_legacy(self, spec: Any, method: str) -> DeviceResident:
        warnings.warn(f'{type(self).__name__}.{method}() is deprecated; use '
                      f'to_device() instead', DeprecationWarning, stacklevel=3)
        self.device_resident_accept(_ToDeviceVisitor(get_device(spec), skip=self))
        return self

    def to_cpu(self) -> DeviceResident:
        """Moves the object to ``@numpy`` (deprecated: use :meth:`to_device`)."""
        return self._move_from_legacy('@numpy', 'to_cpu')

    def to_gpu(self, device: Any = None) -> DeviceResident:
        """Moves the object to CuPy device ``device`` (an id or a CuPy device; default:
        the current one) (deprecated: use :meth:`to_device`)."""
        device_id = getattr(device, 'id', device)
        return self._move_from_legacy(f'@cupy:{0 if device_id is None else int(device_id)}',
                                      'to_gpu')

    def to_intel64(self) -> DeviceResident:
        """Moves the object to ``@intel64`` (deprecated: use :meth:`to_device`)."""
        return self._move_from_legacy('@intel64', 'to_intel64')

    def to_chx(self) -> DeviceResident:
        """Moves the object to ChainerX, which polychain does not have.

        Raises:
            RuntimeError: Always: ChainerX is not available.
        """
        raise RuntimeError(f'{type(self).__name__}.to_chx: ChainerX is not available')

    def from_chx(self) -> DeviceResident:
        """Moves the object off ChainerX; nothing is ever on ChainerX here, so it stays."""
        return self
