"""Optimizers, per-parameter update rules and their hyperparameters.

Updates are functional: an update rule computes new arrays with the
parameter's namespace and assigns them (``param.array = ...``,
``self.state['m'] = ...``), one assignment per piece of state, so the same
code runs on backends with immutable arrays (JAX) and with mutable ones.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable
from typing import Any

import numpy

from polychain.link import Link
from polychain.optimizer_hooks import (
    GradientClipping,
    GradientHardClipping,
    GradientNoise,
    Lasso,
    WeightDecay,
)
from polychain.optimizer_hooks.gradient_noise import exponential_decay_noise
from polychain.variable import Variable

_TIMINGS = ('pre', 'post')
_NO_PARENT = object()


class Hyperparameter:
    """A set of hyperparameter entries, falling back to a parent for missing ones.

    An optimizer's hyperparameter is the parent of the hyperparameter of each
    update rule it creates: changing ``optimizer.lr`` changes every rule,
    while a rule may still override an entry for its own parameter.

    Args:
        parent: The hyperparameter that provides the entries this one lacks.
    """

    def __init__(self, parent: Hyperparameter | None = None) -> None:
        self._parent = parent

    def __getattr__(self, name: str) -> Any:
        # Called only for entries this object lacks: ask the parent.
        parent = self.__dict__.get('_parent', _NO_PARENT)
        if parent is _NO_PARENT:
            raise AttributeError('_parent is not set up yet')
        if parent is None:
            raise AttributeError(f'Hyperparameter has no entry {name!r}')
        return getattr(parent, name)

    def __repr__(self) -> str:
        entries = self.get_dict()
        return 'Hyperparameter(' + ', '.join(f'{k}={entries[k]}' for k in sorted(entries)) + ')'

    @property
    def parent(self) -> Hyperparameter | None:
        """The parent hyperparameter."""
        return self._parent

    def get_dict(self) -> dict[str, Any]:
        """Every entry this hyperparameter can give (its parent's, then its own)."""
        entries = {} if self._parent is None else self._parent.get_dict()
        entries.update((k, v) for k, v in self.__dict__.items() if k != '_parent')
        return entries


def set_entries(hyperparam: Hyperparameter, **entries: Any) -> None:
    """Sets each entry of ``entries`` that is not ``None`` on ``hyperparam``."""
    for name, value in entries.items():
        if value is not None:
            setattr(hyperparam, name, value)


class HyperparameterProxy:
    """A class attribute that reads and writes ``self.hyperparam.<attr_name>``.

    Args:
        attr_name: The hyperparameter entry.
    """

    def __init__(self, attr_name: str) -> None:
        self._attr_name = attr_name
        self.__doc__ = f'Alias to ``self.hyperparam.{attr_name}``.'

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        return getattr(obj.hyperparam, self._attr_name)

    def __set__(self, obj: Any, value: Any) -> None:
        setattr(obj.hyperparam, self._attr_name, value)


class _HookTable:
    """Named hooks called before (``pre``) or after (``post``) an update, in order."""

    def __init__(self, owner: str, duplicate_error: type[Exception]) -> None:
        self.owner = owner
        self.duplicate_error = duplicate_error
        self.pre: dict[str, Callable[..., Any]] = {}
        self.post: dict[str, Callable[..., Any]] = {}

    def add(self, hook: Callable[..., Any], name: str | None, timing: str) -> None:
        where = f'{self.owner}.add_hook'
        if not callable(hook):
            raise TypeError(f'{where}: expected a callable hook, received {type(hook).__name__}')
        if timing not in _TIMINGS + ('auto',):
            raise ValueError(f"{where}: expected timing 'pre', 'post' or 'auto', received "
                             f'{timing!r}')
        if timing == 'auto':
            timing = getattr(hook, 'timing', None)
            if timing is None:
                warnings.warn(f"{where}: the hook {hook!r} has no timing attribute; assuming "
                              f"'pre'", FutureWarning, stacklevel=3)
                timing = 'pre'
            elif timing not in _TIMINGS:
                raise ValueError(f"{where}: expected the hook's timing to be 'pre' or 'post', "
                                 f'received {timing!r}')
        if name is None:
            name = getattr(hook, 'name', getattr(hook, '__name__', None))
        if name is None:
            raise ValueError(f'{where}: the hook has neither a name nor a __name__ attribute; '
                             f'pass name=')
        if name in self.pre or name in self.post:
            raise self.duplicate_error(f'{where}: a hook named {name!r} already exists')
        (self.pre if timing == 'pre' else self.post)[name] = hook

    def remove(self, name: str) -> None:
        for hooks in (self.pre, self.post):
            if name in hooks:
                del hooks[name]
                return
        raise KeyError(f'{self.owner}.remove_hook: there is no hook named {name!r}')

    def of(self, timing: str) -> list[Callable[..., Any]]:
        if timing not in _TIMINGS:
            raise ValueError(f"{self.owner}.call_hooks: expected timing 'pre' or 'post', "
                             f'received {timing!r}')
        return list((self.pre if timing == 'pre' else self.post).values())


class UpdateRule:
    """How one parameter is updated from its gradient.

    Subclasses implement :meth:`update_core` (and :meth:`init_state` when they
    keep state). The state is a dict of arrays on the parameter's device,
    created at the first update; rules replace its entries by assignment.

    Args:
        parent_hyperparam: The hyperparameter that provides default values.

    Attributes:
        enabled: Whether :meth:`update` changes the parameter.
        hyperparam: The rule's :class:`Hyperparameter`.
        t: The number of updates made by this rule.
    """

    def __init__(self, parent_hyperparam: Hyperparameter | None = None) -> None:
        self._hooks = _HookTable(type(self).__name__, ValueError)
        self._state: dict[str, Any] | None = None
        self._state_device: Any = None
        self.enabled = True
        self.hyperparam = Hyperparameter(parent_hyperparam)
        self.t = 0

    @property
    def state(self) -> dict[str, Any] | None:
        """The state dict (``None`` before the first update)."""
        return self._state

    def add_hook(self, hook: Callable[..., Any], name: str | None = None,
                 timing: str = 'auto') -> None:
        """Adds a hook called as ``hook(rule, param)`` before or after each update.

        Args:
            hook: The callable.
            name: Its name (default: ``hook.name`` or ``hook.__name__``).
            timing: ``'pre'``, ``'post'``, or ``'auto'`` (``hook.timing``).
        """
        self._hooks.add(hook, name, timing)

    def remove_hook(self, name: str) -> None:
        """Removes the hook called ``name``."""
        self._hooks.remove(name)

    def update(self, param: Variable) -> None:
        """Runs the hooks and updates ``param``; does nothing without a gradient.

        Args:
            param: The parameter to update.
        """
        if not self.enabled:
            return
        data, grad = param.array, param.grad
        if data is None or grad is None:
            return
        if grad.shape != data.shape:
            self._check_gradient(param)
        self.t += 1
        self._prepare(param)
        hooks = self._hooks
        if hooks.pre:
            for hook in list(hooks.pre.values()):
                hook(self, param)
        self.update_core(param)
        if hooks.post:
            for hook in list(hooks.post.values()):
                hook(self, param)

    def update_core(self, param: Variable) -> None:
        """Computes and assigns the new parameter (and state) arrays; subclasses implement it."""
        raise NotImplementedError(f'{type(self).__name__} must implement update_core(param)')

    def init_state(self, param: Variable) -> None:
        """Fills :attr:`state` before the first update; rules with state override it.

        Args:
            param: The parameter, which gives the shape, dtype and device.
        """

    def serialize(self, serializer: Any) -> None:
        """Saves or loads ``t`` and the state through ``serializer``.

        Args:
            serializer: Called as ``serializer(name, value)``, returning the value.
        """
        self.t = serializer('t', self.t)
        if self._state is None:
            if _is_deserializer(serializer):
                self._load_fresh_state(serializer)
            return
        for key in list(self._state):
            self._state[key] = serializer(key, self._state[key])
        self._state_device = None

    def _load_fresh_state(self, serializer: Any) -> None:
        """Loads the entries ``init_state`` would create into a rule that has no state yet."""
        self._state = {}
        template = copy.copy(self)
        host = numpy.empty(1, dtype=numpy.float32)
        template.init_state(Variable(host, grad=host))
        for key in list(self._state):
            try:
                value = serializer(key, None)
            except KeyError:
                if self.enabled:
                    raise
                value = None
            if value is None:
                self._state = None
                return
            self._state[key] = value
        self._state_device = None

    def _check_gradient(self, param: Variable) -> None:
        grad_shape, shape = param.grad.shape, param.array.shape
        if grad_shape != shape and tuple(grad_shape) != tuple(shape):
            grad_shape, shape = tuple(grad_shape), tuple(shape)
            raise ValueError(f'{type(self).__name__}.update: the gradient of parameter '
                             f'{param.name!r} has shape {grad_shape}, expected the shape of the '
                             f'parameter {shape}')

    def _prepare(self, param: Variable) -> None:
        """Creates the state on the first update and keeps it on the parameter's device."""
        device = param.device
        if self._state is None:
            self._state = {}
            self.init_state(param)
        elif self._state_device is not device:
            for key, value in self._state.items():
                if hasattr(value, 'shape'):
                    self._state[key] = device.send(value)
        self._state_device = device


def _is_deserializer(serializer: Any) -> bool:
    """Whether ``serializer`` loads (is a ``polychain.serializer.Deserializer``)."""
    try:
        from polychain.serializer import Deserializer
    except ImportError:
        return False
    return isinstance(serializer, Deserializer)


class Optimizer:
    """Base class of optimizers: updates the parameters of a target link.

    Attributes:
        target: The link set by :meth:`setup`.
        t: The number of update steps.
        epoch: The current epoch, counted by :meth:`new_epoch`.
        use_auto_new_epoch: Set by updaters that call ``new_epoch(auto=True)``.
    """

    target: Link | None = None
    t = 0
    epoch = 0
    use_auto_new_epoch = False
    _hooks: _HookTable | None = None

    def setup(self, link: Link) -> Optimizer:
        """Sets the target link and resets ``t``, ``epoch`` and the hooks; returns self.

        Args:
            link: The link whose parameters are optimised.
        """
        if not isinstance(link, Link):
            raise TypeError(f'{type(self).__name__}.setup: expected a Link, received '
                            f'{type(link).__name__}')
        self.target = link
        self.t = 0
        self.epoch = 0
        self._hooks = _HookTable(type(self).__name__, KeyError)
        return self

    def _require_setup(self, method: str) -> _HookTable:
        if self._hooks is None or self.target is None:
            raise RuntimeError(f'{type(self).__name__}.{method}: the optimizer has no target '
                               f'link; call setup(link) first')
        return self._hooks

    def update(self, lossfun: Callable[..., Any] | None = None, *args: Any,
               **kwds: Any) -> None:
        """Updates the parameters (with the gradients of ``lossfun(*args, **kwds)`` if given)."""
        raise NotImplementedError(f'{type(self).__name__} must implement update()')

    def new_epoch(self, auto: bool = False) -> None:
        """Counts a new epoch.

        Args:
            auto: ``True`` when an updater calls it (it must have set
                :attr:`use_auto_new_epoch`).
        """
        if auto and not self.use_auto_new_epoch:
            raise RuntimeError(f'{type(self).__name__}.new_epoch: called with auto=True, but '
                               f'use_auto_new_epoch is False; the updater must set it')
        if not auto and self.use_auto_new_epoch:
            raise RuntimeError(f'{type(self).__name__}.new_epoch: the updater already counts '
                               f'epochs (use_auto_new_epoch is True); stop calling new_epoch '
                               f'outside it')
        self.epoch += 1

    def add_hook(self, hook: Callable[..., Any], name: str | None = None,
                 timing: str = 'auto') -> None:
        """Registers a hook run at every update.

        A hook whose ``call_for_each_param`` is true is called as
        ``hook(rule, param)`` for each parameter; any other as ``hook(optimizer)``.

        Args:
            hook: The callable.
            name: Its name (default: ``hook.name`` or ``hook.__name__``).
            timing: ``'pre'`` (before the parameters are updated), ``'post'``
                (after), or ``'auto'`` (the hook's ``timing`` attribute).
        """
        self._require_setup('add_hook').add(hook, name, timing)

    def remove_hook(self, name: str) -> None:
        """Removes the hook called ``name``."""
        self._require_setup('remove_hook').remove(name)

    def call_hooks(self, timing: str = 'pre') -> None:
        """Calls the hooks of ``timing`` (``'pre'`` or ``'post'``) in registration order."""
        for hook in self._require_setup('call_hooks').of(timing):
            if getattr(hook, 'call_for_each_param', False):
                for param in self.target.params(include_uninit=False):
                    if param.update_rule is not None:
                        hook(param.update_rule, param)
            else:
                hook(self)

    def serialize(self, serializer: Any) -> None:
        """Saves or loads ``t``, ``epoch`` and the state of every update rule.

        The target's parameters are not included; serialize the link separately.

        Args:
            serializer: Called as ``serializer(name, value)``; ``serializer[name]``
                gives the serializer of a child.
        """
        self._require_setup('serialize')
        self.t = serializer('t', self.t)
        self.epoch = serializer('epoch', self.epoch)
        for name, param in self.target.namedparams():
            if param.update_rule is not None:
                param.update_rule.serialize(serializer[name])


class GradientMethod(Optimizer):
    """Base class of first-order optimizers: one :class:`UpdateRule` per parameter.

    Subclasses implement :meth:`create_update_rule`. Parameters without a
    gradient are left as they are.

    Attributes:
        hyperparam: The parent of every rule's hyperparameter.
    """

    def __init__(self) -> None:
        self.hyperparam = Hyperparameter()
        self._use_cleargrads = True

    def setup(self, link: Link) -> GradientMethod:
        """Sets the target and gives every parameter a new update rule; returns self.

        Args:
            link: The link whose parameters are optimised.
        """
        super().setup(link)
        for param in link.params():
            param.update_rule = self.create_update_rule()
        for sublink in link.links():
            if not sublink.update_enabled:
                for param in sublink.params():
                    param.update_rule.enabled = False
        return self

    def create_update_rule(self) -> UpdateRule:
        """A new update rule for one parameter; subclasses implement it."""
        raise NotImplementedError(f'{type(self).__name__} must implement create_update_rule()')

    def use_cleargrads(self, use: bool = True) -> None:
        """Whether :meth:`update` clears gradients to ``None`` (default) or to zeros."""
        self._use_cleargrads = use

    def update(self, lossfun: Callable[..., Any] | None = None, *args: Any,
               **kwds: Any) -> None:
        """Updates every parameter that has a gradient.

        With ``lossfun``, it computes ``loss = lossfun(*args, **kwds)``,
        clears the gradients and runs ``loss.backward()`` first.

        Args:
            lossfun: A callable returning the loss Variable, or ``None`` when
                the gradients are already computed.
            args: Positional arguments of ``lossfun``.
            kwds: Keyword arguments of ``lossfun``.
        """
        self._require_setup('update')
        if lossfun is not None:
            loss = lossfun(*args, **kwds)
            if self._use_cleargrads:
                self.target.cleargrads()
            else:
                self.target.zerograds()
            loss.backward()
            del loss
        hooks = self._hooks
        if hooks.pre:
            self.call_hooks('pre')
        self.t += 1
        for param in self.target.params(include_uninit=False):
            if param.update_rule is not None:
                param.update_rule.update(param)
        if hooks.post:
            self.call_hooks('post')


__all__ = [
    'GradientClipping', 'GradientHardClipping', 'GradientMethod', 'GradientNoise',
    'Hyperparameter', 'HyperparameterProxy', 'Lasso', 'Optimizer', 'UpdateRule', 'WeightDecay',
    'exponential_decay_noise', 'set_entries',
]
