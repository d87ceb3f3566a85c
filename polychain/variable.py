"""Variables: arrays that remember how they were computed.

A :class:`Variable` holds an array and, once it takes part in a graph, a
:class:`VariableNode`. The node records the creator function, the rank and the
gradient; it does not hold the array, so the graph keeps only the arrays that
functions retain for their backward.
"""

from __future__ import annotations

import warnings
import weakref
from typing import Any

import numpy

from polychain.backend.device import Device
from polychain.backend.registry import (
    get_device,
    get_device_from_array,
    register_array_holder,
    to_host,
)

_new_object = object.__new__


class VariableNode:
    """The place of a variable in the computational graph.

    Attributes:
        creator: The :class:`~polychain.FunctionNode` that produced it, or ``None``.
        index: Which output of the creator it is.
        rank: Distance from the leaves; backward visits higher ranks first.
        grad_var: The gradient as a :class:`Variable`, or ``None``.
        requires_grad: Whether gradients flow into it.
    """

    # ``_variable`` (a weak reference) is set on the nodes of Variables made by
    # users, never on the outputs that ``FunctionNode.apply`` makes on its hot path.
    __slots__ = ('creator', 'index', '_rank', 'grad_var', '_requires_grad', '_variable',
                 '__weakref__')

    def __init__(self, creator: Any = None, index: int = 0, rank: int = 0,
                 requires_grad: bool = True) -> None:
        self.creator = creator
        self.index = index
        self._rank = rank
        self.grad_var = None
        self._requires_grad = requires_grad

    @property
    def rank(self) -> int:
        """Distance from the leaves; backward visits higher ranks first."""
        return self._rank

    @property
    def requires_grad(self) -> bool:
        """Whether gradients flow into this node."""
        return self._requires_grad

    @property
    def creator_node(self) -> Any:
        """The :class:`~polychain.FunctionNode` that produced the variable, or ``None``."""
        return self.creator

    @property
    def grad(self) -> Any:
        """The gradient array, or ``None``."""
        gv = self.grad_var
        return None if gv is None else gv._data

    def get_variable_or_none(self) -> Variable | None:
        """The Variable of this node, where the node knows it (leaves); else ``None``."""
        ref = getattr(self, '_variable', None)
        return None if ref is None else ref()

    @property
    def data(self) -> Any:
        """The array of the node's Variable where the node knows it (see
        :meth:`get_variable_or_none`), else ``None``."""
        variable = self.get_variable_or_none()
        return None if variable is None else variable._data

    @property
    def shape(self) -> tuple[int, ...] | None:
        """The shape of :attr:`data`, or ``None``."""
        data = self.data
        return None if data is None else tuple(data.shape)

    @property
    def dtype(self) -> Any:
        """The dtype of :attr:`data`, or ``None``."""
        data = self.data
        return None if data is None else data.dtype

    def unchain(self) -> None:
        """Cuts the link to the creator: the node becomes a leaf (its rank stays)."""
        self.creator = None


class Variable:
    """An array with a gradient and a place in the computational graph.

    Args:
        data: The initial array (of any installed backend), or ``None``.
        name: A name shown in ``repr`` and in graph dumps.
        grad: The initial gradient array.
        requires_grad: Whether gradients are computed for it.
    """

    __slots__ = ('_data', '_node', '_device', '_requires_grad', 'name', '__weakref__')
    #: Chainer's flag for ChainerX arrays, which polychain never holds.
    _has_chainerx_array = False
    # NumPy defers ``ndarray op Variable`` to the Variable's reflected operators
    __array_ufunc__ = None
    __array_priority__ = 200

    def __init__(self, data: Any = None, *, name: str | None = None, grad: Any = None,
                 requires_grad: bool = True) -> None:
        if isinstance(data, Variable):
            raise TypeError('Variable: expected an array as data, received a Variable; '
                            'use the Variable itself or its .array')
        self._data = data
        self._device = None if data is None else _device_of(data, 'Variable')
        node = self._node = VariableNode(None, 0, 0, requires_grad)
        node._variable = weakref.ref(self)
        self._requires_grad = requires_grad
        self.name = name
        if grad is not None:
            self.grad = grad

    @classmethod
    def _init_unchecked(cls, data: Any = None, name: str | None = None, grad: Any = None,
                        requires_grad: bool = True, is_chainerx_array: bool | None = None,
                        node: VariableNode | None = None, device: Any = None) -> Variable:
        """Chainer's internal constructor (``is_chainerx_array`` and ``device`` are implied
        by ``data`` here); ``node`` becomes the variable's node."""
        v = cls(data, name=name, grad=grad, requires_grad=requires_grad)
        if node is not None:
            v._node = node
        return v

    @staticmethod
    def _wrap(data: Any, device: Device, node: VariableNode | None,
              requires_grad: bool) -> Variable:
        """Builds a Variable without validating ``data`` (used on the hot path)."""
        v = _new_object(Variable)
        v._data = data
        v._device = device
        v._node = node
        v._requires_grad = requires_grad
        v.name = None
        return v

    # -- the array ---------------------------------------------------------------
    @property
    def array(self) -> Any:
        """The underlying array."""
        return self._data

    @array.setter
    def array(self, data: Any) -> None:
        if data is self._data:
            return  # an in-place update (``v.array -= d``) keeps the device
        self._device = None if data is None else _device_of(data, 'Variable.array')
        self._data = data

    data = array

    @property
    def device(self) -> Device | None:
        """The :class:`~polychain.backend.Device` the array lives on."""
        return self._device

    @property
    def xp(self) -> Any:
        """The array library's module of the array's device (``numpy``, ``cupy``, ...).

        ``numpy`` while there is no array and no device to create it on.
        """
        device = self.device
        return (device if device is not None else get_device('@numpy')).xp

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self._data.shape)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def size(self) -> int:
        size = 1
        for n in self._data.shape:
            size *= n
        return size

    @property
    def dtype(self) -> Any:
        return self._data.dtype

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError('len() of a 0-dimensional Variable')
        return self._data.shape[0]

    def item(self) -> Any:
        """The value of a one-element Variable as a Python scalar (synchronises with the device)."""
        if self.size != 1:
            raise ValueError(f'Variable.item: expected a variable with one element, received '
                             f'shape {self.shape}')
        return to_host(self._data).item()

    # -- the graph -----------------------------------------------------------------
    @property
    def node(self) -> VariableNode:
        """The graph node of this variable (created on first use)."""
        node = self._node
        if node is None:
            node = self._node = VariableNode(requires_grad=self._requires_grad)
            node._variable = weakref.ref(self)
        return node

    @property
    def requires_grad(self) -> bool:
        """Whether gradients are computed for this variable."""
        return self._requires_grad

    @property
    def creator_node(self) -> Any:
        """The FunctionNode that created this variable, or ``None`` for a leaf."""
        return None if self._node is None else self._node.creator

    @creator_node.setter
    def creator_node(self, func: Any) -> None:
        self.set_creator_node(func)

    @property
    def creator(self) -> Any:
        """The function that created this variable (an old-style
        :class:`~polychain.Function` where one did), or ``None`` for a leaf."""
        func = self.creator_node
        return getattr(func, 'function', func)

    @creator.setter
    def creator(self, func: Any) -> None:
        self.set_creator(func)

    def set_creator(self, gen_func: Any) -> None:
        """Makes ``gen_func`` (a Function or FunctionNode) the creator of this variable."""
        self.set_creator_node(getattr(gen_func, 'node', gen_func))

    def set_creator_node(self, fnode: Any) -> None:
        """Makes ``fnode`` the creator node; ``None`` makes this variable a leaf (its rank
        stays)."""
        node = self.node
        node.creator = fnode
        if fnode is not None:
            node._rank = fnode.rank + 1

    @property
    def label(self) -> str:
        """Shape and dtype, as in graph dumps: ``'(2, 3), float32'`` (``'float32'`` for a
        0-dimensional variable)."""
        if self._data is None:
            return 'None'
        dtype = self.dtype
        name = getattr(dtype, 'name', None) or str(dtype).rsplit('.', 1)[-1]
        if self.ndim == 0:
            return name
        return f'({", ".join(map(str, self.shape))}), {name}'

    @property
    def rank(self) -> int:
        return 0 if self._node is None else self._node._rank

    def unchain(self) -> None:
        """Cuts the link to the creator: this variable becomes a leaf (its rank stays)."""
        if self._node is not None:
            self._node.unchain()

    def unchain_backward(self) -> None:
        """Cuts every link between functions and variables behind this variable."""
        node = self._node
        if node is None:
            return
        seen = set()
        stack = [node.creator] if node.creator is not None else []
        node.unchain()
        while stack:
            func = stack.pop()
            if id(func) in seen:
                continue
            seen.add(id(func))
            for parent in func.inputs or ():
                if parent.creator is not None:
                    stack.append(parent.creator)
                    parent.unchain()
            func.unchain()

    # -- gradients -------------------------------------------------------------------
    @property
    def grad_var(self) -> Variable | None:
        """The gradient as a Variable (it has a graph after double backprop)."""
        return None if self._node is None else self._node.grad_var

    @grad_var.setter
    def grad_var(self, gv: Variable | None) -> None:
        if gv is not None:
            self._check_grad(gv._data)
        if gv is None and self._node is None:
            return
        self.node.grad_var = gv

    @property
    def grad(self) -> Any:
        """The gradient array, or ``None``."""
        node = self._node
        gv = None if node is None else node.grad_var
        return None if gv is None else gv._data

    @grad.setter
    def grad(self, g: Any) -> None:
        if g is None:
            self.grad_var = None
            return
        self._check_grad(g)
        self.node.grad_var = Variable._wrap(g, self._device, None, True)

    def _check_grad(self, g: Any) -> None:
        """Chainer's checks: TypeError for another type, device or dtype, ValueError for
        another shape."""
        if self._data is None:
            return
        device = _device_of(g, 'Variable.grad')
        if device is not self._device or isinstance(g, device.scalar_types):
            raise TypeError(f'Variable.grad: expected an array on {self._device}, received '
                            f'{type(g).__name__} on {device}')
        if g.dtype != self.dtype:
            raise TypeError(f'Variable.grad: expected dtype {self.dtype}, received {g.dtype}')
        if tuple(g.shape) != self.shape:
            raise ValueError(f'Variable.grad: expected shape {self.shape}, received '
                             f'{tuple(g.shape)}')

    def cleargrad(self) -> None:
        """Sets the gradient to ``None``."""
        if self._node is not None:
            self._node.grad_var = None

    def zerograd(self) -> None:
        """Sets the gradient to zeros of the variable's shape (deprecated: use
        :meth:`cleargrad`)."""
        warnings.warn('Variable.zerograd is deprecated; use Variable.cleargrad instead',
                      DeprecationWarning, stacklevel=2)
        if self._data is not None:
            self.grad = self._device.namespace.zeros_like(self._data)

    def addgrad(self, var: Variable) -> None:
        """Adds the gradient of ``var`` to the gradient of this variable.

        The sum lives on this variable's device; a ``None`` gradient counts as zero.
        """
        src = var.grad_var
        if src is None:
            return
        if self._data is None:
            self.initialize(var.shape)
        g = self._device.send(src._data)
        dst = self.grad
        self.grad = g if dst is None else dst + g

    def copydata(self, var: Variable) -> None:
        """Copies the array of ``var`` into this variable's array (across devices).

        Where the backend's arrays can be written, the copy goes into the
        existing array; otherwise this variable gets a new one.
        """
        src = var.array
        if src is None:
            if self._data is None:
                return
            var.initialize(self.shape)
            src = var.array
        if self._data is None:
            self.initialize(src.shape)
        src = self._device.send(src)
        dst = self._data
        try:
            dst[...] = src
        except (TypeError, ValueError):
            self._data = self._device.namespace.asarray(src, copy=True)

    # -- devices -----------------------------------------------------------------------
    def to_device(self, device: Any) -> Variable:
        """Moves the array and the gradient to ``device`` (in place); returns ``self``."""
        device = get_device(device)
        if self._data is not None:
            self._data = device.send(self._data)
        node = self._node
        if node is not None and node.grad_var is not None:
            node.grad_var = Variable._wrap(device.send(node.grad_var._data), device, None, False)
        self._device = device
        return self

    def to_cpu(self) -> Variable:
        """Moves the variable to ``@numpy``."""
        return self.to_device('@numpy')

    def to_gpu(self, device: Any = None) -> Variable:
        """Moves the variable to CuPy device ``device`` (default 0)."""
        return self.to_device(f'@cupy:{0 if device is None else device}')

    # The methods that apply functions (``reshape``, ``transpose``, ``mean``, ``T``,
    # indexing and the operators) are installed by ``polychain.functions``, which imports
    # this module (as Chainer's ``basic_math`` installs the operators); ``backward`` is
    # installed by ``polychain.backprop``.

    # -- Python protocol ----------------------------------------------------------------
    def summary(self) -> str:
        """A one-line name of the variable: ``<variable NAME>`` or ``<variable at 0x...>``."""
        if self.name is not None:
            return f'<variable {self.name}>'
        return f'<variable at {hex(id(self))}>'

    def debug_print(self) -> str:
        """A multi-line summary, as Chainer's: device, array type, shape, dtype and the
        statistics of data and grad (``0`` for an all-zero grad)."""
        data = self._data
        if data is None:
            fields = dict.fromkeys(('device', 'backend', 'shape', 'dtype', 'statistics'))
        else:
            fields = {'device': self._device, 'backend': type(data), 'shape': self.shape,
                      'dtype': self.dtype, 'statistics': _statistics(data)}
        grad = self.grad
        if grad is None:
            fields['grad'] = None
        else:
            host = numpy.asarray(to_host(grad))
            fields['grad'] = 0 if host.size and not host.any() else _statistics(grad)
        return '\n'.join([self.summary()] + [f'- {k}: {v}' for k, v in fields.items()])

    def __repr__(self) -> str:
        return variable_repr(self)

    def __str__(self) -> str:
        return variable_str(self)

    def _no_comparison(self, other: Any) -> bool:
        raise TypeError('Variables cannot be compared; compare their .array instead')

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _no_comparison
    # As in Chainer, Variables are not hashable (== would be elementwise).
    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        raise TypeError('the truth value of a Variable is ambiguous; use its .array or .item()')

    def __reduce__(self):
        grad = self.grad
        return _restore_variable, (
            None if self._data is None else to_host(self._data), self.name,
            self._requires_grad, None if self._device is None else str(self._device),
            None if grad is None else to_host(grad))


register_array_holder(Variable)


def _restore_variable(data, name, requires_grad, device, grad=None):
    v = Variable(data, name=name, requires_grad=requires_grad)
    if device is not None:
        v.to_device(device)
    if grad is not None:
        v.grad = v.device.send(grad)
    return v


def as_variable(obj: Any) -> Variable:
    """``obj`` if it is a Variable, else a Variable of the array ``obj`` that requires no
    gradient."""
    if isinstance(obj, Variable):
        return obj
    return Variable(obj, requires_grad=False)


def as_array(obj: Any) -> Any:
    """The array of ``obj`` if it is a Variable, else ``obj`` itself."""
    return obj.array if isinstance(obj, Variable) else obj


def _device_of(data: Any, where: str) -> Device:
    try:
        return get_device_from_array(data)
    except TypeError:
        raise TypeError(f'{where}: expected an array of an installed backend, received '
                        f'{type(data).__module__}.{type(data).__name__}') from None


def _statistics(array: Any) -> str:
    host = numpy.asarray(to_host(array))
    if host.size == 0 or not numpy.issubdtype(host.dtype, numpy.number):
        return f'{host.size} elements'
    return f'mean={host.mean():.8f}, std={host.std():.8f}'


def _prefix(var: Variable) -> str:
    return 'variable' if var.name is None else f'variable {var.name}'


def variable_repr(var: Variable) -> str:
    """``repr`` of a Variable: ``variable NAME(...)`` with the array as NumPy's ``repr``
    writes it, without the dtype."""
    prefix = _prefix(var)
    if var._data is None:
        return f'{prefix}(None)'
    text = repr(numpy.asarray(to_host(var._data)))
    body = text[text.index('(') + 1:text.rindex(')')].split(', dtype=')[0]
    # NumPy indents continuation lines under 'array('; they go under the prefix instead.
    return f'{prefix}({body.replace(chr(10) + "      ", chr(10) + " " * (len(prefix) + 1))})'


def variable_str(var: Variable) -> str:
    """``str`` of a Variable: ``variable NAME(...)`` with the array as NumPy's ``str``
    writes it, continuation lines under the first element."""
    prefix = _prefix(var)
    if var._data is None:
        return f'{prefix}(None)'
    host = numpy.asarray(to_host(var._data))
    return f'{prefix}({numpy.array2string(host, prefix=prefix + "(", separator=" ")})'

