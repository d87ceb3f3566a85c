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


class HookTarget:
    """Mixin of objects that take hooks of their own (functions and links).

    Subclasses set ``_hook_registry`` (the registry of ``with`` blocks) and a class
    attribute ``_hooked = 0`` that the registry counts; an object with hooks of
    its own sets ``_hooked`` to True on itself.
    """

    _hook_registry: HookRegistry
    _local_hook_table: dict[str, Any] | None = None

    def _local_hooks(self) -> dict[str, Any]:
        table = self._local_hook_table
        if table is None:
            table = self.__dict__['_local_hook_table'] = {}
        return table

    def add_hook(self, hook: Any, name: str | None = None) -> Any:
        """Attaches ``hook`` to this object only, under ``name`` (default ``hook.name``);
        returns the object.

        Raises:
            KeyError: A hook of that name is already attached.
        """
        name = hook.name if name is None else name
        local = self._local_hooks()
        if name in local:
            raise KeyError(f'{type(self).__name__}.add_hook: a hook named {name!r} is already '
                           f'attached')
        local[name] = hook
        self.__dict__['_hooked'] = True
        hook.added(self)
        return self

    def delete_hook(self, name: str) -> None:
        """Detaches the hook attached as ``name``.

        Raises:
            KeyError: No hook of that name is attached.
        """
        local = self._local_hooks()
        if name not in local:
            raise KeyError(f'{type(self).__name__}.delete_hook: no hook named {name!r}; '
                           f'attached: {sorted(local)}')
        local.pop(name).deleted(self)
        if not local:
            del self.__dict__['_hooked']

    def _applicable_hooks(self) -> list[Any]:
        """The hooks that apply: those of ``with`` blocks, then this object's own (which
        replace a ``with`` block's hook of the same name)."""
        hooks = dict(self._hook_registry.hooks)
        if self._local_hook_table:
            hooks.update(self._local_hook_table)
        return list(hooks.values())
