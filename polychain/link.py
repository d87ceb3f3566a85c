"""Links hold parameters; Chain, ChainList and Sequential compose them into models."""

from __future__ import annotations

import contextlib
import copy as copy_module
import inspect
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy

from polychain.backend.registry import get_device_from_array
from polychain.device_resident import DeviceResident, DeviceResidentsVisitor
from polychain.initializers import NaN
from polychain.parameter import Parameter
from polychain.utils.scoped_hooks import HookRegistry, HookTarget
from polychain.variable import Variable

_COPY_MODES = ('share', 'copy', 'init')

#: The link hooks of ``with`` blocks, per thread (``polychain.get_link_hooks()``); their
#: number is counted in ``Link._hooked``. LinkHook registers there.
link_hook_registry = HookRegistry(lambda: Link)


@dataclass
class ForwardPreprocessCallbackArgs:
    """What :meth:`LinkHook.forward_preprocess` receives.

    Attributes:
        link: The link being called.
        forward_name: The name of the method called (``'forward'``).
        args: The positional arguments of the call.
        kwargs: The keyword arguments of the call.
    """

    link: Any
    forward_name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ForwardPostprocessCallbackArgs(ForwardPreprocessCallbackArgs):
    """What :meth:`LinkHook.forward_postprocess` receives: the call and its output ``out``."""

    out: Any = None


def _is_array(value: Any) -> bool:
    return hasattr(value, 'shape') and hasattr(value, 'dtype') and not isinstance(value,
                                                                                  Variable)


def _is_backend_array(value: Any) -> bool:
    """Whether ``value`` is an array of an installed backend (not ``None`` or another object)."""
    if value is None:
        return False
    try:
        get_device_from_array(value)
    except TypeError:
        return False
    return True


def _shape_and_dtype(value: Any) -> tuple[Any, Any]:
    """Splits a ``Link(name=...)`` value: a shape, or a ``(shape, dtype)`` pair."""
    if isinstance(value, tuple) and len(value) == 2 and \
            isinstance(value[1], (str, type, numpy.dtype)):
        return value
    return value, numpy.float32


def _copied_array(array: Any) -> Any:
    return get_device_from_array(array).namespace.asarray(array, copy=True)


def _copied_param(param: Parameter, memo: dict[int, Any] | None, with_grad: bool) -> Parameter:
    """A new Parameter like ``param``: its array copied (``memo`` not None) or shared."""
    new = Parameter(param.initializer, name=param.name)
    new.to_device(param.device)
    if param.array is not None:
        new.array = param.array if memo is None else _copied_array(param.array)
        grad = param.grad if with_grad else None
        new.grad = None if grad is None else _copied_array(grad)
    else:  # as in Chainer: a copy without gradient reads None; a deep copy keeps its state
        new._grad_fill = param._grad_fill
        new._grad_valid = param._grad_valid or not with_grad
    new.update_rule = param.update_rule if memo is None else \
        copy_module.deepcopy(param.update_rule, memo)
    return new


class _NotInitialized(RuntimeError):
    def __init__(self) -> None:
        super().__init__('Link.__init__() has not been called.')


class Link(DeviceResident, HookTarget):
    """A building block of models that owns parameters and persistent values.

    Parameters assigned inside ``with self.init_scope():`` are registered:
    they are listed by :meth:`params`, moved by :meth:`to_device`, saved by
    serializers and updated by optimizers. Persistent values (arrays or
    scalars that are saved but not trained, such as running statistics) are
    registered with :meth:`add_persistent`.

    Calling a link calls its ``forward`` method (or the ``__call__`` of a
    mixin class after Link in the bases, as in Chainer).

    Args:
        params: Parameters to add, ``name=shape`` or ``name=(shape, dtype)``
            (an old style; use :meth:`init_scope`).
    """

    def __init__(self, **params: Any) -> None:
        d = self.__dict__
        d['_params'] = set()
        d['_persistent'] = set()
        d['_within_init_scope'] = False
        d['_update_enabled'] = True
        d['name'] = None
        super().__init__()
        for name, value in params.items():
            shape, dtype = _shape_and_dtype(value)
            self.add_param(name, shape, dtype=dtype)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for klass in cls.__mro__[cls.__mro__.index(Link) + 1:]:
            if '__call__' in klass.__dict__:
                # A mixin's __call__ runs instead of forward (Chainer's injected call).
                cls.__call__ = Link._call_injected
                break

    def _check_init(self) -> None:
        if '_params' not in self.__dict__:
            raise _NotInitialized()

    # -- registration ------------------------------------------------------------------
    @property
    def within_init_scope(self) -> bool:
        """Whether assignments register parameters (and links, in a Chain) right now."""
        return getattr(self, '_within_init_scope', False)

    @contextlib.contextmanager
    def init_scope(self) -> Iterator[None]:
        """Registers every Parameter (and child Link, in a Chain) assigned in the block."""
        self._check_init()
        old = self.within_init_scope
        self.__dict__['_within_init_scope'] = True
        try:
            yield
        finally:
            self.__dict__['_within_init_scope'] = old

    def __setattr__(self, name: str, value: Any) -> None:
        if self.within_init_scope and isinstance(value, Parameter):
            value.name = name
            device = self._device
            if not value.is_initialized or value.device is not device:
                value.to_device(device)
            self._params.add(name)
            self._persistent.discard(name)
        elif name in getattr(self, '_params', ()) and not isinstance(value, Parameter):
            self._params.discard(name)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._params.discard(name)
        self._persistent.discard(name)
        super().__delattr__(name)

    def __copy__(self) -> Link:
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def __deepcopy__(self, memo: dict[int, Any]) -> Link:
        new = object.__new__(type(self))
        memo[id(self)] = new
        own = self.__dict__
        for name in own.get('_params', ()):
            param = own[name]
            if id(param) not in memo:
                memo[id(param)] = _copied_param(param, memo, with_grad=True)
        for key, value in own.items():
            new.__dict__[key] = copy_module.deepcopy(value, memo)
        return new

    def add_param(self, name: str, shape: Any = None, dtype: Any = numpy.float32,
                  initializer: Any = None) -> None:
        """Registers a new parameter ``name`` (uninitialised when ``shape`` is ``None``).

        Args:
            name: Attribute name of the parameter.
            shape: Its shape, or ``None`` to initialise it later.
            dtype: Its dtype when ``initializer`` does not fix one.
            initializer: As accepted by :class:`~polychain.Parameter`; ``None``
                fills with NaN.

        Raises:
            AttributeError: The link already has an attribute ``name``.
        """
        self._check_init()
        if name in self.__dict__:
            raise AttributeError(f'{type(self).__name__}.add_param: the attribute {name!r} '
                                 f'already exists')
        if initializer is None:
            initializer = NaN(dtype)
        with self.init_scope():
            setattr(self, name, Parameter(initializer, shape))

    def add_persistent(self, name: str, value: Any) -> None:
        """Registers ``value`` (an array, a scalar, ...) as a persistent value called ``name``.

        Raises:
            AttributeError: The link already has an attribute ``name``.
        """
        self._check_init()
        d = self.__dict__
        if name in d:
            raise AttributeError(f'{type(self).__name__}.add_persistent: the attribute '
                                 f'{name!r} already exists')
        if _is_array(value):
            value = self._device.send(value)
        self._persistent.add(name)
        self._params.discard(name)
        d[name] = value

    def register_persistent(self, name: str) -> None:
        """Registers the existing attribute ``name`` as a persistent value.

        Raises:
            AttributeError: There is no attribute ``name``.
        """
        if not hasattr(self, name):
            raise AttributeError(f'{type(self).__name__}.register_persistent: there is no '
                                 f'attribute {name!r}')
        self._persistent.add(name)
        self._params.discard(name)

    # -- traversal ---------------------------------------------------------------------
    def params(self, include_uninit: bool = True) -> Iterator[Parameter]:
        """All parameters of this link and its descendants (in :meth:`namedparams` order)."""
        found: list[Parameter] = []
        self._collect_params(include_uninit, found)
        return iter(found)

    def _collect_params(self, include_uninit: bool, found: list[Parameter]) -> None:
        # A plain recursion: optimizers walk the parameters on every update.
        own = self.__dict__
        for name in sorted(self._params):
            param = own[name]
            if include_uninit or param.array is not None:
                found.append(param)
        for child in self.children():
            child._collect_params(include_uninit, found)

    def namedparams(self, include_uninit: bool = True) -> Iterator[tuple[str, Parameter]]:
        """Pairs of (path, parameter), paths like ``'/l1/W'``."""
        own = self.__dict__
        for name in sorted(self._params):
            param = own[name]
            if include_uninit or param.array is not None:
                yield '/' + name, param

    def links(self, skipself: bool = False) -> Iterator[Link]:
        """This link (unless ``skipself``) and all its descendants."""
        for _, link in self.namedlinks(skipself):
            yield link

    def namedlinks(self, skipself: bool = False) -> Iterator[tuple[str, Link]]:
        """Pairs of (path, link), starting with ``('/', self)``."""
        if not skipself:
            yield '/', self
        for name, child in self._named_children():
            yield '/' + name, child
            for path, link in child.namedlinks(skipself=True):
                yield f'/{name}{path}', link

    def _named_children(self) -> Iterator[tuple[str, Link]]:
        return iter(())

    def children(self) -> Iterator[Link]:
        """The direct child links."""
        for _, child in self._named_children():
            yield child

    def count_params(self) -> int:
        """The number of parameter elements; uninitialised parameters count 0 (and warn)."""
        total = 0
        for path, param in self.namedparams():
            if param.array is None:
                warnings.warn(f'{type(self).__name__}.count_params: the parameter {path!r} is '
                              f'not initialized; it is not counted', UserWarning, stacklevel=2)
            else:
                total += param.size
        return total

    # -- gradients ---------------------------------------------------------------------
    def cleargrads(self) -> None:
        """Sets every parameter's gradient to ``None``."""
        for param in self.params():
            param.cleargrad()

    def zerograds(self) -> None:
        """Sets every parameter's gradient to zeros (deprecated: use :meth:`cleargrads`)."""
        warnings.warn('Link.zerograds is deprecated; use cleargrads instead',
                      DeprecationWarning, stacklevel=2)
        for param in self.params():
            param.zerograd()

    def addgrads(self, link: Link) -> None:
        """Adds the gradients of ``link``'s parameters (same structure) to this link's.

        An uninitialised parameter of this link takes the shape of its
        counterpart first.
        """
        theirs = dict(link.namedparams())
        for path, param in self.namedparams():
            other = theirs[path]
            if other.array is None or other.grad is None:
                continue
            if param.array is None:
                param.initialize(other.shape)
            grad = param.device.send(other.grad)
            mine = param.grad
            param.grad = grad if mine is None else mine + grad

    # -- copying -----------------------------------------------------------------------
    def copy(self, mode: str = 'share') -> Link:
        """A copy of this link and its descendants.

        Args:
            mode: ``'share'`` makes new Parameter objects sharing the arrays
                (without gradients, and without the name of the root),
                ``'copy'`` copies everything (as ``copy.deepcopy``), ``'init'``
                copies and re-initialises the initialised parameters with their
                initializers.

        Raises:
            ValueError: ``mode`` is none of these.
        """
        if mode not in _COPY_MODES:
            raise ValueError(f"Link.copy: expected mode 'share', 'copy' or 'init', received "
                             f'{mode!r}')
        if mode != 'share':
            result = copy_module.deepcopy(self)
            if mode == 'init':
                for param in result.params(include_uninit=False):
                    param.initialize(param.shape)
            return result
        result = copy_module.copy(self)
        d = result.__dict__
        d['_params'] = set(self._params)
        d['_persistent'] = set(self._persistent)
        d['name'] = None
        for name in self._params:
            d[name] = _copied_param(d[name], None, with_grad=False)
        result._share_children()
        return result

    def _share_children(self) -> None:
        """Replaces the children of a shallow copy by copies in ``'share'`` mode."""

    def copyparams(self, link: Link, copy_persistent: bool = True) -> None:
        """Copies the parameter values (and persistent values) of ``link`` into this link.

        An uninitialised parameter takes the shape of its counterpart.
        """
        theirs = dict(link.namedparams())
        for path, param in self.namedparams():
            source = theirs[path].array
            if source is None:
                continue
            value = param.device.send(source)
            param.array = _copied_array(value) if value is source else value
        if copy_persistent:
            their_links = dict(link.namedlinks())
            for path, mine in self.namedlinks():
                source = their_links[path].__dict__
                for name in mine._persistent:
                    value = source[name]
                    if _is_array(value):
                        sent = mine._device.send(value)
                        value = _copied_array(sent) if sent is value else sent
                    else:
                        value = copy_module.deepcopy(value)
                    mine.__dict__[name] = value

    def repeat(self, n_repeat: int, mode: str = 'init') -> Sequential:
        """A :class:`Sequential` of ``n_repeat`` copies of this link made with ``copy(mode)``."""
        return Sequential(*[self.copy(mode) for _ in range(n_repeat)])

    # -- devices -----------------------------------------------------------------------
    @property
    def xp(self) -> Any:
        """The array library's module of the link's device (``numpy``, ``cupy``, ...)."""
        return self._device.xp

    def device_resident_accept(self, visitor: DeviceResidentsVisitor) -> None:
        """Hands this link, its parameters, its persistent arrays and its children to
        ``visitor``."""
        super().device_resident_accept(visitor)
        d = self.__dict__
        for name in self._params:
            visitor.visit_variable(d[name])
        for name in self._persistent:
            value = d[name]
            if _is_array(value):
                d[name] = visitor.visit_array(value)
        for child in self.children():
            child.device_resident_accept(visitor)

    # -- updates -----------------------------------------------------------------------
    @property
    def update_enabled(self) -> bool:
        """Whether optimizers update this link's parameters."""
        return self._update_enabled

    def disable_update(self) -> None:
        """Stops optimizers from updating the parameters of this link and its descendants."""
        self._set_update_enabled(False)

    def enable_update(self) -> None:
        """Lets optimizers update the parameters of this link and its descendants again."""
        self._set_update_enabled(True)

    def _set_update_enabled(self, enabled: bool) -> None:
        for link in self.links():
            link.__dict__['_update_enabled'] = enabled
        for param in self.params():
            if param.update_rule is not None:
                param.update_rule.enabled = enabled

    # -- serialization -----------------------------------------------------------------
    def _uninitialized_shape(self, name: str) -> tuple[int | None, ...] | None:
        """The shape the uninitialised parameter ``name`` will have (``None`` for a size that
        the first input gives), against which a loaded entry is checked; ``None`` if unknown."""
        return None

    def serialize(self, serializer: Any) -> None:
        """Saves or loads parameters and persistent values through ``serializer``.

        A loaded array replaces the parameter's array unless the serializer
        wrote into that array and returned it (or returned no array); an
        uninitialised parameter is initialised with the loaded shape.
        """
        d = self.__dict__
        load_parameter = getattr(type(serializer), 'load_parameter', None)  # deserializers'
        for name in sorted(self._params):
            param = d[name]
            if load_parameter is None:
                value = serializer(name, param.array)
            else:
                value = load_parameter(serializer, name, param.array, None if param.array
                                       is not None else self._uninitialized_shape(name))
            if value is param.array or not _is_backend_array(value):
                continue
            if param.array is None:
                param.initialize(tuple(value.shape))
            value = param.device.send(value)
            if value.dtype != param.dtype:
                value = param.device.namespace.astype(value, param.dtype)
            param.array = value
        for name in sorted(self._persistent):
            value = serializer(name, d[name])
            if value is not None:
                d[name] = self._device.send(value) if _is_array(value) else value

    # -- calling -----------------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._hooked or self._device is None:
            return self._call_hooked(self.forward, args, kwargs)
        return self.forward(*args, **kwargs)

    def _call_injected(self, *args: Any, **kwargs: Any) -> Any:
        return self._call_hooked(super().__call__, args, kwargs)

    # -- hooks -------------------------------------------------------------------------
    #: Truthy when a hook may apply: the count of global link hooks (on the class)
    #: or True on a link with hooks of its own.
    _hooked: int | bool = 0
    _hook_registry = link_hook_registry

    @property
    def local_link_hooks(self) -> dict[str, Any]:
        """The hooks attached to this link only (:meth:`add_hook`), by name."""
        return self._local_hooks()

    def _call_hooked(self, forward: Callable[..., Any], args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> Any:
        self._check_init()
        hooks = self._applicable_hooks() if self._hooked else ()
        if not hooks:
            return forward(*args, **kwargs)
        before = ForwardPreprocessCallbackArgs(self, 'forward', args, kwargs)
        for hook in hooks:
            hook.forward_preprocess(before)
        out = None
        try:
            out = forward(*args, **kwargs)
        finally:
            # Also after a failed forward, so that hooks undo what their preprocess did.
            after = ForwardPostprocessCallbackArgs(self, 'forward', args, kwargs, out)
            for hook in hooks:
                hook.forward_postprocess(after)
        return out

    # -- display -----------------------------------------------------------------------
    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        """(name, value) pairs shown by ``str``; links override it to show their arguments."""
        return iter(())

    def __str__(self) -> str:
        specs = ', '.join(f'{name}={value}' for name, value in self.printable_specs)
        return f'{type(self).__name__}({specs})'

    __repr__ = __str__


class Chain(Link):
    """A link composed of named child links, assigned inside ``init_scope()``.

    Args:
        links: Child links to add, by name (an old style; use :meth:`init_scope`).
    """

    def __init__(self, **links: Link) -> None:
        super().__init__()
        self.__dict__['_children'] = set()
        for name, link in links.items():
            self.add_link(name, link)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.within_init_scope and isinstance(value, Link):
            if value is self:
                raise ValueError(f'{type(self).__name__}: a chain cannot contain itself')
            value.name = name
            self._children.add(name)
        elif name in getattr(self, '_children', ()) and not isinstance(value, Link):
            self._children.discard(name)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self._children.discard(name)
        super().__delattr__(name)

    def __getitem__(self, name: str) -> Link:
        """The child link called ``name``."""
        return getattr(self, name)

    def add_link(self, name: str, link: Link) -> None:
        """Registers ``link`` as the child ``name``.

        Raises:
            AttributeError: The chain already has an attribute ``name``.
            TypeError: ``link`` is not a Link.
        """
        if name in self.__dict__:
            raise AttributeError(f'{type(self).__name__}.add_link: the attribute {name!r} '
                                 f'already exists')
        if not isinstance(link, Link):
            raise TypeError(f'{type(self).__name__}.add_link: expected a Link, received '
                            f'{type(link).__name__}')
        with self.init_scope():
            setattr(self, name, link)

    def _named_children(self) -> Iterator[tuple[str, Link]]:
        d = self.__dict__
        for name in sorted(self._children):
            yield name, d[name]

    def namedparams(self, include_uninit: bool = True) -> Iterator[tuple[str, Parameter]]:
        yield from super().namedparams(include_uninit)
        for name, child in self._named_children():
            for path, param in child.namedparams(include_uninit):
                yield f'/{name}{path}', param

    def _share_children(self) -> None:
        d = self.__dict__
        d['_children'] = set(self._children)
        for name in self._children:
            child = d[name].copy('share')
            child.name = name
            d[name] = child

    def serialize(self, serializer: Any) -> None:
        super().serialize(serializer)
        for name, child in self._named_children():
            child.serialize(serializer[name])

    def __str__(self) -> str:
        return _listing(type(self).__name__, self._named_children())

    __repr__ = __str__


class ChainList(Link):
    """A link composed of an ordered list of child links.

    Args:
        links: The initial child links.
    """

    def __init__(self, *links: Link) -> None:
        super().__init__()
        self.__dict__['_children'] = []
        for link in links:
            self.add_link(link)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.within_init_scope and isinstance(value, Link):
            raise TypeError(f'{type(self).__name__}: cannot register the link {name!r} as an '
                            f'attribute; use add_link() or append()')
        super().__setattr__(name, value)

    def add_link(self, link: Link) -> None:
        """Appends ``link`` to the list.

        Raises:
            TypeError: ``link`` is not a Link.
        """
        if not isinstance(link, Link):
            raise TypeError(f'{type(self).__name__}.add_link: expected a Link, received '
                            f'{type(link).__name__}')
        link.name = str(len(self._children))
        self._children.append(link)

    def append(self, link: Link) -> None:
        """Appends ``link`` to the list (the same as :meth:`add_link`)."""
        self.add_link(link)

    def _renumber(self) -> None:
        for i, child in enumerate(self._children):
            child.name = str(i)

    def __getitem__(self, index: Any) -> Any:
        return self._children[index]

    def __setitem__(self, index: Any, value: Any) -> None:
        links = list(value) if isinstance(index, slice) else [value]
        for link in links:
            if not isinstance(link, Link):
                raise TypeError(f'{type(self).__name__}: expected a Link, received '
                                f'{type(link).__name__}')
        self._children[index] = value
        self._renumber()

    def __delitem__(self, index: Any) -> None:
        del self._children[index]
        self._renumber()

    def __iadd__(self, other: ChainList) -> ChainList:
        if not isinstance(other, ChainList):
            raise TypeError(f'{type(self).__name__} += expects a ChainList, received '
                            f'{type(other).__name__}')
        for link in list(other):
            self.add_link(link)
        return self

    def __iter__(self) -> Iterator[Link]:
        return iter(self._children)

    def __len__(self) -> int:
        return len(self._children)

    def _named_children(self) -> Iterator[tuple[str, Link]]:
        for i, child in enumerate(self._children):
            yield str(i), child

    def children(self) -> Iterator[Link]:
        return iter(self._children)

    def namedparams(self, include_uninit: bool = True) -> Iterator[tuple[str, Parameter]]:
        yield from super().namedparams(include_uninit)
        for name, child in self._named_children():
            for path, param in child.namedparams(include_uninit):
                yield f'/{name}{path}', param

    def _share_children(self) -> None:
        children = []
        for i, child in enumerate(self._children):
            copied = child.copy('share')
            copied.name = str(i)
            children.append(copied)
        self.__dict__['_children'] = children

    def serialize(self, serializer: Any) -> None:
        super().serialize(serializer)
        for name, child in self._named_children():
            child.serialize(serializer[name])

    def __str__(self) -> str:
        return _listing(type(self).__name__, self._named_children())

    __repr__ = __str__


class Sequential(ChainList):
    """Applies its layers (links or plain callables) one after another.

    A layer's output tuple is unpacked into the next layer's arguments.

    Args:
        layers: Links or callables such as ``F.relu``.

    Raises:
        ValueError: A layer is not callable.
    """

    def __init__(self, *layers: Callable[..., Any]) -> None:
        super().__init__()
        self.__dict__['_layers'] = []
        for layer in layers:
            self.append(layer)

    # -- list-like editing -------------------------------------------------------------
    def append(self, layer: Callable[..., Any]) -> None:
        """Adds ``layer`` at the end."""
        self.insert(len(self._layers), layer)

    add_link = append

    def insert(self, i: int, layer: Callable[..., Any]) -> None:
        """Inserts ``layer`` before position ``i`` (``-len(self) <= i <= len(self)``).

        Raises:
            IndexError: ``i`` is out of that range.
            ValueError: ``layer`` is not callable.
        """
        n = len(self._layers)
        if not -n <= i <= n:
            raise IndexError(f'Sequential.insert: index {i} is out of range for '
                             f'{n} layers')
        _check_layer(layer)
        self._layers.insert(i, layer)
        self._sync_children()

    def extend(self, layers: Iterable[Callable[..., Any]]) -> None:
        """Appends each of ``layers``."""
        for layer in layers:
            self.append(layer)

    def pop(self, i: int = -1) -> Callable[..., Any]:
        """Removes and returns the layer at ``i``."""
        layer = self._layers.pop(i)
        self._sync_children()
        return layer

    def remove(self, layer: Callable[..., Any]) -> None:
        """Removes the first occurrence of ``layer``.

        Raises:
            ValueError: ``layer`` is not in the sequence.
        """
        for i, existing in enumerate(self._layers):
            if existing is layer:
                self.pop(i)
                return
        raise ValueError('Sequential.remove: the layer is not in the sequence')

    def remove_by_layer_type(self, type_name: str) -> None:
        """Removes every layer whose type name (or function name) is ``type_name``."""
        self._layers[:] = [layer for layer in self._layers
                           if _layer_type_name(layer) != type_name]
        self._sync_children()

    def clear(self) -> None:
        """Removes every layer."""
        self._layers.clear()
        self._sync_children()

    def index(self, layer: Callable[..., Any]) -> int:
        """The position of the first occurrence of ``layer``."""
        for i, existing in enumerate(self._layers):
            if existing is layer:
                return i
        raise ValueError('Sequential.index: the layer is not in the sequence')

    def count(self, layer: Callable[..., Any]) -> int:
        """How many times ``layer`` occurs."""
        return sum(1 for existing in self._layers if existing is layer)

    def count_by_layer_type(self, type_name: str) -> int:
        """How many layers have the type name (or function name) ``type_name``."""
        return sum(1 for layer in self._layers if _layer_type_name(layer) == type_name)

    def flatten(self) -> Sequential:
        """A Sequential of the layers with nested Sequentials expanded in place."""
        flat = Sequential()
        for layer in self._layers:
            if isinstance(layer, Sequential):
                flat.extend(layer.flatten())
            else:
                flat.append(layer)
        return flat

    def _sync_children(self) -> None:
        self.__dict__['_children'] = []
        for layer in self._layers:
            if isinstance(layer, Link):
                ChainList.add_link(self, layer)

    # -- sequence protocol -------------------------------------------------------------
    def __getitem__(self, i: Any) -> Any:
        return self._layers[i]

    def __setitem__(self, i: Any, layer: Any) -> None:
        for new in (layer if isinstance(i, slice) else [layer]):
            _check_layer(new)
        self._layers[i] = layer
        self._sync_children()

    def __delitem__(self, i: Any) -> None:
        del self._layers[i]
        self._sync_children()

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter(self._layers)

    def __reversed__(self) -> Iterator[Callable[..., Any]]:
        return reversed(self._layers)

    def __contains__(self, layer: Any) -> bool:
        return any(existing is layer for existing in self._layers)

    def __len__(self) -> int:
        return len(self._layers)

    def __add__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(f'Sequential + expects a Sequential, received '
                             f'{type(other).__name__}')
        return Sequential(*self._layers, *other._layers)

    def __iadd__(self, other: Sequential) -> Sequential:
        if not isinstance(other, Sequential):
            raise ValueError(f'Sequential += expects a Sequential, received '
                             f'{type(other).__name__}')
        self.extend(list(other._layers))
        return self

    # -- calling, copying, pickling ----------------------------------------------------
    def forward(self, *x: Any) -> Any:
        """Feeds the inputs through the layers in order.

        Raises:
            RuntimeError: The sequence has no layers.
        """
        if not self._layers:
            raise RuntimeError('Sequential: cannot call a sequence without layers')
        for layer in self._layers:
            x = layer(*x) if isinstance(x, tuple) else layer(x)
        return x

    def _share_children(self) -> None:
        self.__dict__['_layers'] = [layer.copy('share') if isinstance(layer, Link) else layer
                                    for layer in self._layers]
        self._sync_children()

    def __getstate__(self) -> dict[str, Any]:
        for layer in self._layers:
            if getattr(layer, '__name__', None) == '<lambda>':
                raise ValueError('Sequential: a lambda layer cannot be pickled; use a '
                                 'function or functools.partial')
        return self.__dict__

    def __str__(self) -> str:
        return _listing('Sequential', ((str(i), _layer_repr(layer))
                                       for i, layer in enumerate(self._layers)))

    __repr__ = __str__


def _check_layer(layer: Any) -> None:
    if not callable(layer):
        raise ValueError(f'Sequential: expected a Link or a callable layer, received '
                         f'{type(layer).__name__}')


def _layer_type_name(layer: Any) -> str:
    return type(layer).__name__ if isinstance(layer, Link) else getattr(layer, '__name__', '')


def _layer_repr(layer: Any) -> Any:
    if getattr(layer, '__name__', None) == '<lambda>':
        with contextlib.suppress(OSError, TypeError):
            return inspect.getsource(layer).strip().rstrip(',')
    return layer


def _listing(class_name: str, children: Iterable[tuple[str, Any]]) -> str:
    """``Class(\\n  (name): child,\\n...)`` with nested listings indented."""
    lines = [f'  ({name}): {child},'.replace('\n', '\n  ') for name, child in children]
    return f'{class_name}(\n' + '\n'.join(lines) + '\n)' if lines else f'{class_name}()'
