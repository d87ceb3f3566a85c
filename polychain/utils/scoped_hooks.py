"""Hooks registered for the duration of a ``with`` block, per thread.

Function hooks and link hooks share this: each kind keeps its active hooks
by name in a thread-local registry, and counts them on the class whose hot
path must learn cheaply whether any hook may apply.
"""

from __future__ import annotations

import threading
from typing import Any


class HookRegistry(threading.local):
    """The active hooks of one kind in this thread, by name, in registration order.

    Args:
        counted_on: A callable returning the class whose ``_hooked`` attribute
            counts the hooks active in every thread (resolved late, to keep
            imports acyclic).
    """

    def __init__(self, counted_on: Any) -> None:
        self.hooks: dict[str, Any] = {}
        self._counted_on = counted_on

    def push(self, hook: Any) -> None:
        if hook.name in self.hooks:
            raise KeyError(f'{type(hook).__name__}: a hook named {hook.name!r} is already '
                           f'active')
        self.hooks[hook.name] = hook
        self._counted_on()._hooked += 1

    def pop(self, hook: Any) -> None:
        del self.hooks[hook.name]
        self._counted_on()._hooked -= 1


class ScopedHook:
    """Base of hooks usable as ``with hook:`` blocks; subclasses set ``_registry``."""

    name = 'Hook'
    _registry: HookRegistry

    def __enter__(self) -> Any:
        self._registry.push(self)
        self.added(None)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.deleted(None)
        self._registry.pop(self)

    def added(self, target: Any = None) -> None:
        """Called when the hook is registered (``None`` for a ``with`` block)."""

    def deleted(self, target: Any = None) -> None:
        """Called when the hook is unregistered (``None`` for a ``with`` block)."""


def attach(owner: Any, hook: Any, name: str | None) -> None:
    """Attaches ``hook`` to one function or link (``owner``) under ``name``."""
    name = hook.name if name is None else name
    local = owner._local_hooks()
    if name in local:
        raise KeyError(f'{type(owner).__name__}.add_hook: a hook named {name!r} is already '
                       f'attached')
    local[name] = hook
    owner.__dict__['_hooked'] = True
    hook.added(owner)


def detach(owner: Any, name: str) -> None:
    """Detaches the hook attached to ``owner`` as ``name``."""
    local = owner._local_hooks()
    if name not in local:
        raise KeyError(f'{type(owner).__name__}.delete_hook: no hook named {name!r}; attached: '
                       f'{sorted(local)}')
    local.pop(name).deleted(owner)
    if not local:
        del owner.__dict__['_hooked']


def active_hooks(registry: HookRegistry, local: dict[str, Any] | None) -> list[Any]:
    """The hooks that apply: those of the registry, then the local ones (a local hook
    replaces a global one of the same name)."""
    hooks = dict(registry.hooks)
    if local:
        hooks.update(local)
    return list(hooks.values())
