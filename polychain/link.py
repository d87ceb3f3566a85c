"""Links hold parameters; Chain, ChainList and Sequential compose them into models."""

from __future__ import annotations

import contextlib
import copy as copy_module
from collections.abc import Callable, Iterator
from typing import Any

from polychain.backend.device import Device
from polychain.backend.registry import get_device, get_device_from_array
from polychain.link_hooks.link_hook import _REGISTRY as _LINK_HOOKS
from polychain.link_hooks.link_hook import (
    ForwardPostprocessCallbackArgs,
    ForwardPreprocessCallbackArgs,
)
from polychain.parameter import Parameter
from polychain.utils.scoped_hooks import HookTarget
from polychain.variable import Variable


def _is_array(value: Any) -> bool:
    return hasattr(value, 'shape') and hasattr(value, 'dtype') and not isinstance(value,
                                                                                  Variable)


class Link(HookTarget):
    """A building block of models that owns parameters and persistent values.

    Parameters assigned inside ``with self.init_scope():`` are registered:
    they are listed by :meth:`params`, moved by :meth:`to_device`, saved by
    serializers and updated by optimizers. Persistent values (arrays or
    scalars that are saved but not trained, such as running statistics) are
    registered with :meth:`add_persistent`.

    Calling a link calls its :meth:`forward`.
    """

    def __init__(self, **params: Any) -> None:
        object.__setattr__(self, '_params', [])
        object.__setattr__(self, '_persistent', [])
        object.__setattr__(self, '_within_init_scope', False)
        object.__setattr__(self, '_device', get_device('@numpy'))
        self.name: str | None = None
        self._update_enabled = True
        for name, shape in params.items():
            self.add_param(name, shape)

    # -- registration ------------------------------------------------------------------
    @property
    def within_init_scope(self) -> bool:
        """Whether assignments register parameters (and links, in a Chain) right now."""
        return getattr(self, '_within_init_scope', False)

    @contextlib.contextmanager
    def init_scope(self) -> Iterator[None]:
        """Registers every Parameter (and child Link, in a Chain) assigned in the block."""
        old = self.within_init_scope
        object.__setattr__(self, '_within_init_scope', True)
        try:
            yield
        finally:
            object.__setattr__(self, '_within_init_scope', old)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.within_init_scope and isinstance(value, Parameter):
            value.name = name
            if value.is_initialized:
                if value.device is not self._device:
                    value.to_device(self._device)
            else:
                value.to_device(self._device)
            if name not in self._params:
                self._params.append(name)
        elif name in getattr(self, '_params', ()) and not isinstance(value, Parameter):
            self._params.remove(name)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in self._params:
            self._params.remove(name)
        elif name in self._persistent:
            self._persistent.remove(name)
        super().__delattr__(name)

    def add_param(self, name: str, shape: Any = None, dtype: Any = 'float32',
                  initializer: Any = None) -> None:
        """Registers a new parameter ``name`` (uninitialised when ``shape`` is ``None``).

        Args:
            name: Attribute name of the parameter.
            shape: Its shape, or ``None`` to initialise it later.
            dtype: Its dtype when ``initializer`` does not fix one.
            initializer: As accepted by :class:`~polychain.Parameter`; ``None``
                fills with NaN.
        """
        if name in self.__dict__:
            raise AttributeError(f'{type(self).__name__}.add_param: the attribute {name!r} '
                                 f'already exists')
        if initializer is None:
            from polychain.initializers import NaN
            initializer = NaN(dtype)
        with self.init_scope():
            setattr(self, name, Parameter(initializer, shape))

    def add_persistent(self, name: str, value: Any) -> None:
        """Registers ``value`` (an array or a scalar) as a persistent value called ``name``."""
        if name in self.__dict__:
            raise AttributeError(f'{type(self).__name__}.add_persistent: the attribute '
                                 f'{name!r} already exists')
        if _is_array(value):
            value = self._device.send(value)
        self._persistent.append(name)
        object.__setattr__(self, name, value)

    def register_persistent(self, name: str) -> None:
        """Registers the existing attribute ``name`` as a persistent value."""
        if not hasattr(self, name):
            raise AttributeError(f'{type(self).__name__}.register_persistent: there is no '
                                 f'attribute {name!r}')
        if name not in self._persistent:
            self._persistent.append(name)

    # -- traversal ---------------------------------------------------------------------
    def params(self, include_uninit: bool = True) -> Iterator[Parameter]:
        """All parameters of this link and its descendants (in :meth:`namedparams` order)."""
        found: list[Parameter] = []
        self._collect_params(include_uninit, found)
        return iter(found)

    def _collect_params(self, include_uninit: bool, found: list[Parameter]) -> None:
        # A plain recursion: optimizers walk the parameters on every update.
        own = self.__dict__
        for name in self._params:
            param = own[name]
            if include_uninit or param.array is not None:
                found.append(param)
        for child in self.children():
            child._collect_params(include_uninit, found)

    def namedparams(self, include_uninit: bool = True) -> Iterator[tuple[str, Parameter]]:
        """Pairs of (path, parameter), paths like ``'/l1/W'``."""
        for name in self._params:
            param = self.__dict__[name]
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

    def children(self) -> Iterator[Link]:
        """The direct child links."""
        return iter(())

    def count_params(self) -> int:
        """The number of parameter elements (uninitialised parameters count as 0)."""
        return sum(p.size for p in self.params(include_uninit=False))

    # -- gradients ---------------------------------------------------------------------
    def cleargrads(self) -> None:
        """Sets every parameter's gradient to ``None``."""
        for param in self.params():
            param.cleargrad()

    def zerograds(self) -> None:
        """Sets every initialised parameter's gradient to zeros."""
        for param in self.params(include_uninit=False):
            param.zerograd()

    def addgrads(self, link: Link) -> None:
        """Adds the gradients of ``link``'s parameters (same structure) to this link's."""
        theirs = dict(link.namedparams())
        for path, param in self.namedparams():
            other = theirs[path]
            if other.grad is None:
                continue
            grad = self._device.send(other.grad)
            param.grad = grad if param.grad is None else param.grad + grad

    # -- copying -----------------------------------------------------------------------
    def copy(self, mode: str = 'share') -> Link:
        """A copy of this link.

        Args:
            mode: ``'share'`` shares the parameter arrays, ``'copy'`` copies
                them, ``'init'`` re-initialises them with their initializers.
        """
        if mode not in ('share', 'copy', 'init'):
            raise ValueError(f"Link.copy: expected mode 'share', 'copy' or 'init', received "
                             f'{mode!r}')
        result = copy_module.copy(self)
        object.__setattr__(result, '_params', list(self._params))
        object.__setattr__(result, '_persistent', list(self._persistent))
        for name in self._params:
            param = self.__dict__[name]
            new = Parameter(param.initializer, name=param.name)
            new.to_device(param.device)
            if param.is_initialized:
                if mode == 'share':
                    new.array = param.array
                elif mode == 'copy':
                    new.array = param.device.xp.asarray(param.array, copy=True)
                else:
                    new.initialize(param.shape)
            object.__setattr__(result, name, new)
        for name in self._persistent:
            value = self.__dict__[name]
            if mode != 'share' and _is_array(value):
                value = get_device_from_array(value).xp.asarray(value, copy=True)
            object.__setattr__(result, name, value)
        result._copy_children(self, mode)
        return result

    def _copy_children(self, source: Link, mode: str) -> None:
        """Hook for links with children (Chain, ChainList)."""

    def copyparams(self, link: Link, copy_persistent: bool = True) -> None:
        """Copies parameter values (and persistent values) from ``link`` into this link."""
        theirs = dict(link.namedparams())
        for path, param in self.namedparams():
            param.array = self._device.send(theirs[path].array)
        if copy_persistent:
            their_links = dict(link.namedlinks())
            for path, mine in self.namedlinks():
                other = their_links[path]
                for name in mine._persistent:
                    value = other.__dict__[name]
                    object.__setattr__(mine, name,
                                       mine._device.send(value) if _is_array(value) else value)

    def repeat(self, n_repeat: int, mode: str = 'init') -> Any:
        """A :class:`Sequential` of ``n_repeat`` copies of this link made with ``copy(mode)``."""
        return Sequential(*[self.copy(mode) for _ in range(n_repeat)])

    # -- devices -----------------------------------------------------------------------
    @property
    def device(self) -> Device:
        """The device of the link's parameters and persistent values."""
        return self._device

    @property
    def xp(self) -> Any:
        """The Array API namespace of the link's device."""
        return self._device.xp

    def to_device(self, device: Any) -> Link:
        """Moves every parameter and persistent value (recursively) to ``device``; returns self.

        Uninitialised parameters are created on ``device`` later.
        """
        device = get_device(device)
        for link in self.links():
            object.__setattr__(link, '_device', device)
            for name in link._params:
                link.__dict__[name].to_device(device)
            for name in link._persistent:
                value = link.__dict__[name]
                if _is_array(value):
                    object.__setattr__(link, name, device.send(value))
        return self

    def to_cpu(self) -> Link:
        """Moves the link to ``@numpy``."""
        return self.to_device('@numpy')

    def to_gpu(self, device: Any = None) -> Link:
        """Moves the link to CuPy device ``device`` (default 0)."""
        return self.to_device(f'@cupy:{0 if device is None else device}')

    # -- updates -----------------------------------------------------------------------
    @property
    def update_enabled(self) -> bool:
        """Whether optimizers update this link's parameters."""
        return self._update_enabled

    def disable_update(self) -> None:
        """Stops optimizers from updating the parameters of this link and its descendants."""
        for link in self.links():
            link._update_enabled = False
            for param in link.params():
                if param.update_rule is not None:
                    param.update_rule.enabled = False

    def enable_update(self) -> None:
        """Lets optimizers update the parameters of this link and its descendants again."""
        for link in self.links():
            link._update_enabled = True
            for param in link.params():
                if param.update_rule is not None:
                    param.update_rule.enabled = True

    # -- serialization -----------------------------------------------------------------
    def serialize(self, serializer: Any) -> None:
        """Saves or loads parameters and persistent values through ``serializer``."""
        for name in self._params:
            param = self.__dict__[name]
            value = serializer(name, param.array)
            if value is not None and not param.is_initialized:
                param.initialize(tuple(value.shape))
                param.array = self._device.send(value)
            elif value is not None and value is not param.array:
                param.array = self._device.send(value)
        for name in self._persistent:
            value = serializer(name, self.__dict__[name])
            if value is not None:
                object.__setattr__(self, name,
                                   self._device.send(value) if _is_array(value) else value)

    # -- calling -----------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation of the link; subclasses implement it (or ``__call__``)."""
        raise NotImplementedError(f'{type(self).__name__} must implement forward()')

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._hooked:
            return self._call_hooked(args, kwargs)
        return self.forward(*args, **kwargs)

    # -- hooks -------------------------------------------------------------------------
    #: Truthy when a hook may apply: the count of global link hooks (on the class)
    #: or True on a link with hooks of its own.
    _hooked: int | bool = 0
    _hook_registry = _LINK_HOOKS

    @property
    def local_link_hooks(self) -> dict[str, Any]:
        """The hooks attached to this link only (:meth:`add_hook`), by name."""
        return self._local_hooks()

    def _call_hooked(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        hooks = self._applicable_hooks()
        before = ForwardPreprocessCallbackArgs(self, 'forward', args, kwargs)
        for hook in hooks:
            hook.forward_preprocess(before)
        out = None
        try:
            out = self.forward(*args, **kwargs)
        finally:
            # Also after a failed forward, so that hooks undo what their preprocess did.
            after = ForwardPostprocessCallbackArgs(self, 'forward', args, kwargs, out)
            for hook in hooks:
                hook.forward_postprocess(after)
        return out

    # -- display -----------------------------------------------------------------------
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        """(name, value) pairs shown in ``repr``; links override it to show their arguments."""
        return iter(())

    def __repr__(self) -> str:
        specs = ', '.join(f'{name}={value!r}' for name, value in self.printable_specs())
        return f'{type(self).__name__}({specs})'


class Chain(Link):
    """A link composed of named child links, assigned inside ``init_scope()``."""

    def __init__(self, **links: Link) -> None:
        super().__init__()
        object.__setattr__(self, '_children', [])
        for name, link in links.items():
            self.add_link(name, link)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.within_init_scope and isinstance(value, Link):
            if value is self:
                raise ValueError(f'{type(self).__name__}: a chain cannot contain itself')
            value.name = name
            if name not in self._children:
                self._children.append(name)
        elif name in getattr(self, '_children', ()) and not isinstance(value, Link):
            self._children.remove(name)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if name in self._children:
            self._children.remove(name)
        super().__delattr__(name)

    def __getitem__(self, name: str) -> Link:
        """The child link called ``name``."""
        if name not in self._children:
            raise KeyError(f'{type(self).__name__} has no child link {name!r}')
        return self.__dict__[name]

    def add_link(self, name: str, link: Link) -> None:
        """Registers ``link`` as the child ``name``."""
        if name in self.__dict__:
            raise AttributeError(f'{type(self).__name__}.add_link: the attribute {name!r} '
                                 f'already exists')
        if not isinstance(link, Link):
            raise TypeError(f'{type(self).__name__}.add_link: expected a Link, received '
                            f'{type(link).__name__}')
        with self.init_scope():
            setattr(self, name, link)

    def children(self) -> Iterator[Link]:
        for name in self._children:
            yield self.__dict__[name]

    def namedparams(self, include_uninit: bool = True) -> Iterator[tuple[str, Parameter]]:
        yield from super().namedparams(include_uninit)
        for name in self._children:
            for path, param in self.__dict__[name].namedparams(include_uninit):
                yield f'/{name}{path}', param

    def namedlinks(self, skipself: bool = False) -> Iterator[tuple[str, Link]]:
        if not skipself:
            yield '/', self
        for name in self._children:
            child = self.__dict__[name]
            yield '/' + name, child
            for path, link in child.namedlinks(skipself=True):
                yield f'/{name}{path}', link

    def _copy_children(self, source: Link, mode: str) -> None:
        object.__setattr__(self, '_children', list(source._children))
        for name in source._children:
            child = source.__dict__[name].copy(mode)
            child.name = name
            object.__setattr__(self, name, child)

    def serialize(self, serializer: Any) -> None:
        super().serialize(serializer)
        for name in self._children:
            self.__dict__[name].serialize(serializer[name])

    def __repr__(self) -> str:
        lines = [f'  ({name}): {_indent(repr(self.__dict__[name]))},'
                 for name in self._children]
        return f'{type(self).__name__}(\n' + '\n'.join(lines) + '\n)' if lines else \
            f'{type(self).__name__}()'


class ChainList(Link):
    """A link composed of an ordered list of child links."""

    def __init__(self, *links: Link) -> None:
        super().__init__()
        object.__setattr__(self, '_children', [])
        for link in links:
            self.add_link(link)

    def __setattr__(self, name: str, value: Any) -> None:
        if self.within_init_scope and isinstance(value, Link):
            raise TypeError(f'{type(self).__name__}: cannot register the link {name!r} as an '
                            f'attribute; use add_link() or append()')
        super().__setattr__(name, value)

    def add_link(self, link: Link) -> None:
        """Appends ``link`` to the list."""
        if not isinstance(link, Link):
            raise TypeError(f'{type(self).__name__}.add_link: expected a Link, received '
                            f'{type(link).__name__}')
        link.name = str(len(self._children))
        self._children.append(link)

    append = add_link

    def __getitem__(self, index: int) -> Link:
        return self._children[index]

    def __iter__(self) -> Iterator[Link]:
        return iter(self._children)

    def __len__(self) -> int:
        return len(self._children)

    def children(self) -> Iterator[Link]:
        return iter(self._children)

    def namedparams(self, include_uninit: bool = True) -> Iterator[tuple[str, Parameter]]:
        yield from super().namedparams(include_uninit)
        for i, child in enumerate(self._children):
            for path, param in child.namedparams(include_uninit):
                yield f'/{i}{path}', param

    def namedlinks(self, skipself: bool = False) -> Iterator[tuple[str, Link]]:
        if not skipself:
            yield '/', self
        for i, child in enumerate(self._children):
            yield f'/{i}', child
            for path, link in child.namedlinks(skipself=True):
                yield f'/{i}{path}', link

    def _copy_children(self, source: Link, mode: str) -> None:
        object.__setattr__(self, '_children', [child.copy(mode) for child in source._children])

    def serialize(self, serializer: Any) -> None:
        super().serialize(serializer)
        for i, child in enumerate(self._children):
            child.serialize(serializer[str(i)])

    def __repr__(self) -> str:
        lines = [f'  ({i}): {_indent(repr(child))},' for i, child in enumerate(self._children)]
        return f'{type(self).__name__}(\n' + '\n'.join(lines) + '\n)' if lines else \
            f'{type(self).__name__}()'


class Sequential(ChainList):
    """Applies its layers (links or plain callables) one after another.

    Args:
        layers: Links or callables such as ``F.relu``.
    """

    def __init__(self, *layers: Callable[..., Any]) -> None:
        super().__init__()
        self._layers: list[Callable[..., Any]] = []
        for layer in layers:
            self.append(layer)

    def append(self, layer: Callable[..., Any]) -> None:
        """Adds a layer at the end."""
        self.insert(len(self._layers), layer)

    def insert(self, index: int, layer: Callable[..., Any]) -> None:
        """Inserts a layer before position ``index``."""
        if not callable(layer):
            raise TypeError(f'Sequential.insert: expected a Link or a callable, received '
                            f'{type(layer).__name__}')
        self._layers.insert(index, layer)
        self._sync_children()

    def pop(self, index: int = -1) -> Callable[..., Any]:
        """Removes and returns the layer at ``index``."""
        layer = self._layers.pop(index)
        self._sync_children()
        return layer

    def remove(self, layer: Callable[..., Any]) -> None:
        """Removes the first occurrence of ``layer``."""
        for i, existing in enumerate(self._layers):
            if existing is layer:
                self.pop(i)
                return
        raise ValueError('Sequential.remove: the layer is not in the sequence')

    def _sync_children(self) -> None:
        object.__setattr__(self, '_children', [])
        for layer in self._layers:
            if isinstance(layer, Link):
                ChainList.add_link(self, layer)

    add_link = append

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return Sequential(*self._layers[index])
        return self._layers[index]

    def __iter__(self) -> Iterator[Callable[..., Any]]:
        return iter(self._layers)

    def __len__(self) -> int:
        return len(self._layers)

    def forward(self, *x: Any) -> Any:
        """Feeds the inputs through the layers in order."""
        for layer in self._layers:
            x = layer(*x) if isinstance(x, tuple) else layer(x)
        return x

    def _copy_children(self, source: Link, mode: str) -> None:
        object.__setattr__(self, '_layers', [layer.copy(mode) if isinstance(layer, Link)
                                             else layer for layer in source._layers])
        self._sync_children()

    def __repr__(self) -> str:
        lines = [f'  ({i}): {_indent(_layer_repr(layer))},'
                 for i, layer in enumerate(self._layers)]
        return 'Sequential(\n' + '\n'.join(lines) + '\n)' if lines else 'Sequential()'


def _layer_repr(layer: Any) -> str:
    return repr(layer) if isinstance(layer, Link) else getattr(layer, '__name__', repr(layer))


def _indent(text: str) -> str:
    return text.replace('\n', '\n  ')
