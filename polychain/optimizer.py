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

from polychain import optimizer_hooks
from polychain.link import Link
from polychain.optimizer_hooks.gradient_noise import exponential_decay_noise
from polychain.variable import Variable

_TIMINGS = ('pre', 'post')
_NO_PARENT = object()
_INITIAL_DYNAMIC_LOSS_SCALE = 2.0 ** 10
_MIN_LOSS_SCALE = 1.0
_MAX_LOSS_SCALE = 2.0 ** 24


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
            if not isinstance(timing, str):  # no timing declared (a mock's attribute is none)
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

    Subclasses implement :meth:`update_core`, or :meth:`update_core_cpu` and
    :meth:`update_core_gpu` (chosen by the parameter's device), and
    :meth:`init_state` when they keep state. The state is a dict of arrays on
    the parameter's device, created at the first update of an initialised
    parameter; rules replace its entries by assignment. :meth:`update_core`
    is called for every parameter, also those without an array or a gradient.

    Args:
        parent_hyperparam: The hyperparameter that provides default values.

    Attributes:
        enabled: Whether :meth:`update` changes the parameter.
        hyperparam: The rule's :class:`Hyperparameter`.
        t: The number of updates made by this rule.
    """

    _use_fp32_update = False
    _fp32_param: Variable | None = None

    def __init__(self, parent_hyperparam: Hyperparameter | None = None) -> None:
        self._hooks = _HookTable(type(self).__name__, KeyError)
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

    def use_fp32_update(self, flag: bool = True) -> None:
        """Updates float16 parameters through a float32 copy kept by the rule.

        Args:
            flag: Whether to update in float32.
        """
        self._use_fp32_update = flag
        self._fp32_param = None

    def update(self, param: Variable) -> None:
        """Runs the hooks and :meth:`update_core` on ``param``.

        A gradient is divided by the parameter's loss scale (set by an
        optimizer with loss scaling) before the hooks see it.

        Args:
            param: The parameter to update.
        """
        if not self.enabled:
            return
        self.t += 1
        if self._use_fp32_update and _is_half(param):
            self._update_in_fp32(param)
        else:
            self._update_param(param)

    def _update_param(self, param: Variable) -> None:
        if param.array is not None:
            if param.grad is not None:
                if param.grad.shape != param.array.shape:
                    self._check_gradient(param)
                loss_scale = getattr(param, '_loss_scale', None)
                if loss_scale is not None:
                    param.grad = param.grad / loss_scale
            self._prepare(param)
        hooks = self._hooks
        if hooks.pre:
            for hook in list(hooks.pre.values()):
                hook(self, param)
        self.update_core(param)
        if hooks.post:
            for hook in list(hooks.post.values()):
                hook(self, param)

    def _update_in_fp32(self, param: Variable) -> None:
        """Updates a float32 copy of a float16 ``param`` and writes the result back."""
        if param.array is None:
            # Nothing to copy yet: the rule sees an uninitialised float32 parameter.
            from polychain.initializers import Zero
            from polychain.parameter import Parameter
            self._update_param(Parameter(Zero(numpy.float32), name=param.name))
            return
        fp32 = self._fp32_param
        xp = param.device.namespace
        if fp32 is None or fp32.device != param.device or fp32.shape != param.shape:
            fp32 = self._fp32_param = Variable(xp.astype(param.array, xp.float32),
                                               name=param.name)
        grad = param.grad
        if grad is not None:
            grad = xp.astype(grad, xp.float32)
            loss_scale = getattr(param, '_loss_scale', None)
            if loss_scale is not None:
                grad = grad / loss_scale
        fp32.grad = grad
        self._update_param(fp32)
        param.array = xp.astype(fp32.array, param.array.dtype)
        fp32.grad = None

    def update_core(self, param: Variable) -> None:
        """Computes and assigns the new parameter (and state) arrays.

        The default calls :meth:`update_core_gpu` for a parameter on a CuPy
        device and :meth:`update_core_cpu` for any other.
        """
        if param.device.backend.name == 'cupy':
            self.update_core_gpu(param)
        else:
            self.update_core_cpu(param)

    def update_core_cpu(self, param: Variable) -> None:
        """Updates a parameter held in host memory; see :meth:`update_core`."""
        raise NotImplementedError(f'{type(self).__name__} must implement update_core or '
                                  f'update_core_cpu')

    def update_core_gpu(self, param: Variable) -> None:
        """Updates a parameter on a CuPy device; see :meth:`update_core`."""
        raise NotImplementedError(f'{type(self).__name__} must implement update_core or '
                                  f'update_core_gpu')

    def update_core_chainerx(self, param: Variable) -> None:
        """Chainer's ChainerX update; polychain has no ChainerX device to call it for."""
        raise NotImplementedError(f'{type(self).__name__}.update_core_chainerx: ChainerX is '
                                  f'not part of polychain')

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
        """Loads the entries ``init_state`` would create into a rule that has no state yet.

        The first pass of an all-or-nothing load (``serializer.checking``) reads
        every entry and leaves the rule without state.
        """
        checking = getattr(serializer, 'checking', False)
        self._state = {}
        template = copy.copy(self)
        host = numpy.empty(1, dtype=numpy.float32)
        template.init_state(Variable(host, grad=host))
        try:
            for key in list(self._state):
                try:
                    value = serializer(key, None)
                except KeyError:
                    if self.enabled:
                        raise
                    value = None
                if value is None and not checking:
                    self._state = None
                    return
                self._state[key] = value
        finally:
            if checking:
                self._state = None
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
            self.init_state(param)  # which may make host arrays, as Chainer's tests do
        if self._state_device is not device:
            for key, value in self._state.items():
                if hasattr(value, 'shape'):
                    self._state[key] = device.send(value)
        self._state_device = device


def _is_half(param: Variable) -> bool:
    """Whether ``param`` holds (or will hold) float16 values."""
    try:
        return param.dtype == numpy.float16
    except (AttributeError, RuntimeError):
        return False


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
    _loss_scale: float | None = None
    _loss_scaling_is_dynamic = False
    _loss_scaling_interval = 1000
    _loss_scaling_good_steps = 0

    def setup(self, link: Link) -> Optimizer:
        """Sets the target link and resets ``t``, ``epoch`` and the hooks; returns self.

        Args:
            link: The link whose parameters are optimised.
        """
        if not isinstance(link, Link):
            raise TypeError(f'{type(self).__name__}.setup: optimization target must be a link, '
                            f'received {type(link).__name__}')
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
        """Calls the hooks of ``timing`` (``'pre'`` or ``'post'``) in registration order.

        Gradients a hook clears are re-created as zeros before the next hook runs.
        """
        for hook in self._require_setup('call_hooks').of(timing):
            self.call_hook(hook)
            self.reallocate_cleared_grads()

    def call_hook(self, hook: Callable[..., Any]) -> None:
        """Calls one hook: per parameter with ``call_for_each_param``, else on the optimizer."""
        if getattr(hook, 'call_for_each_param', False):
            for param in self.target.params():
                hook(param.update_rule, param)
        else:
            hook(self)

    def reallocate_cleared_grads(self) -> None:
        """Gives every initialised parameter without a gradient a zero gradient."""
        for param in self.target.params(include_uninit=False):
            if param.grad is None:
                param.grad = param.device.namespace.zeros_like(param.array)

    def loss_scaling(self, interval: int = 1000, scale: float | None = None) -> None:
        """Turns loss scaling on: losses are multiplied by a scale, gradients divided back.

        With a ``scale`` the factor is fixed (static loss scaling). Without one,
        it is dynamic: it starts large, is halved (and the update skipped)
        whenever a gradient is not finite, and doubled after ``interval``
        updates in a row with finite gradients.

        Args:
            interval: Number of successful updates before a dynamic scale doubles.
            scale: The fixed loss scale, or ``None`` for dynamic loss scaling.
        """
        name = f'{type(self).__name__}.loss_scaling'
        if interval < 1:
            raise ValueError(f'{name}: expected interval >= 1, received {interval}')
        if scale is not None and scale <= 0:
            raise ValueError(f'{name}: expected scale > 0, received {scale}')
        self._loss_scaling_is_dynamic = scale is None
        self._loss_scaling_interval = interval
        self._loss_scaling_good_steps = 0
        self._loss_scale = _INITIAL_DYNAMIC_LOSS_SCALE if scale is None else float(scale)

    def set_loss_scale(self, loss_scale: float | None) -> None:
        """Sets the loss scale of the optimizer and of every parameter of the target."""
        self._loss_scale = loss_scale
        for param in self.target.params():
            param._loss_scale = loss_scale

    def check_nan_in_grads(self) -> bool:
        """Whether any gradient of the target holds an infinite or NaN value."""
        for param in self.target.params(include_uninit=False):
            grad = param.grad
            if grad is not None and not bool(param.device.namespace.all(
                    param.device.namespace.isfinite(grad))):
                return True
        return False

    def is_safe_to_update(self) -> bool:
        """Whether an update may proceed: always, except dynamic loss scaling with bad gradients."""
        return not (self._loss_scaling_is_dynamic and self.check_nan_in_grads())

    def update_loss_scale(self) -> None:
        """Halves a dynamic loss scale after bad gradients, doubles it after ``interval`` good."""
        if self._loss_scaling_is_dynamic:
            self._adjust_loss_scale(self.check_nan_in_grads())

    def _adjust_loss_scale(self, found_nonfinite: bool) -> None:
        if found_nonfinite:
            self._loss_scale = max(self._loss_scale / 2, _MIN_LOSS_SCALE)
            self._loss_scaling_good_steps = 0
            return
        self._loss_scaling_good_steps += 1
        if self._loss_scaling_good_steps >= self._loss_scaling_interval:
            self._loss_scale = min(self._loss_scale * 2, _MAX_LOSS_SCALE)
            self._loss_scaling_good_steps = 0

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
            loss.backward(loss_scale=self._loss_scale)
            del loss
            if self._loss_scale is not None:
                self.set_loss_scale(self._loss_scale)
        if self._loss_scaling_is_dynamic:
            found_nonfinite = self.check_nan_in_grads()
            self._adjust_loss_scale(found_nonfinite)
            if found_nonfinite:
                return
        self.reallocate_cleared_grads()
        hooks = self._hooks
        if hooks.pre:
            self.call_hooks('pre')
        self.t += 1
        for param in self.target.params():
            update_rule = param.update_rule
            if update_rule is not None:
                update_rule.update(param)
        if hooks.post:
            self.reallocate_cleared_grads()
            self.call_hooks('post')


def make_deprecation_message(name: str) -> str:
    """The warning given when ``optimizer.<name>`` is used instead of ``optimizer_hooks``."""
    return (f'chainer.optimizer.{name} is deprecated; use '
            f'chainer.optimizer_hooks.{name} instead')


def _deprecated_alias(hook_class: type) -> type:
    """A subclass of an optimizer hook that warns, under this module, when it is created."""
    name = hook_class.__name__

    def warn_and_init(self: Any, *args: Any, **kwargs: Any) -> None:
        warnings.warn(make_deprecation_message(name), DeprecationWarning, stacklevel=2)
        hook_class.__init__(self, *args, **kwargs)

    return type(name, (hook_class,), {'__init__': warn_and_init, '__module__': __name__,
                                      '__doc__': f'Deprecated alias of optimizer_hooks.{name}.'})


GradientClipping = _deprecated_alias(optimizer_hooks.GradientClipping)
GradientHardClipping = _deprecated_alias(optimizer_hooks.GradientHardClipping)
GradientNoise = _deprecated_alias(optimizer_hooks.GradientNoise)
Lasso = _deprecated_alias(optimizer_hooks.Lasso)
WeightDecay = _deprecated_alias(optimizer_hooks.WeightDecay)


__all__ = [
    'GradientClipping', 'GradientHardClipping', 'GradientMethod', 'GradientNoise',
    'Hyperparameter', 'HyperparameterProxy', 'Lasso', 'Optimizer', 'UpdateRule', 'WeightDecay',
    'exponential_decay_noise', 'make_deprecation_message', 'set_entries',
]
