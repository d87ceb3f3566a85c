"""Keeps one test's configuration changes from reaching the next.

Several of Chainer's tests enter ``using_config`` in ``setUp`` and leave it in
``tearDown``; when ``setUp`` fails after entering, ``tearDown`` never runs and
the setting (``config.dtype = float64``, say) stays on for every later test in
the process. The runner takes the configuration before each test and puts it
back afterwards, so that a failure is counted once, where it happens.
"""

from __future__ import annotations

from typing import Any

from polychain import configuration

_ABSENT = object()


def snapshot() -> tuple[dict[str, Any], dict[str, Any]]:
    """This thread's overrides and the global entries, as they are now."""
    local = {name: value for name, value in vars(configuration.config).items()
             if name != '_global'}
    return local, dict(vars(configuration.global_config))


def restore(state: tuple[dict[str, Any], dict[str, Any]]) -> list[str]:
    """Puts the configuration back to ``state``; returns the names that had changed."""
    local, shared = state
    changed = _restore(configuration.config, local, skip={'_global'})
    changed += _restore(configuration.global_config, shared, skip=set())
    return changed


def _restore(target: object, state: dict[str, Any], skip: set[str]) -> list[str]:
    changed = []
    for name in [name for name in vars(target) if name not in state and name not in skip]:
        delattr(target, name)
        changed.append(name)
    for name, value in state.items():
        if vars(target).get(name, _ABSENT) is not value:
            setattr(target, name, value)
            changed.append(name)
    return changed
