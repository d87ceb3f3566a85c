"""Run-time configuration: ``polychain.config``, ``using_config`` and the backprop modes.

``global_config`` holds the defaults shared by all threads; ``config`` is
thread-local and falls back to ``global_config`` for entries it does not set.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import warnings
from collections.abc import Iterator
from typing import Any, TextIO

import numpy


class Unusual:
    """Whether ``debug`` may be on, or ``enable_backprop`` or ``type_check`` off, in some
    thread.

    Every function application reads these class attributes first and reads
    the thread-local entry only when the answer may differ from the common
    case, which keeps a thread-local lookup off the hot path. They count the
    threads that override an entry; a thread that ends while it overrides one
    keeps the slow, exact path on for good.
    """

    debug = False
    no_backprop = False
    no_type_check = False
    _overrides: dict[str, int] = {}
    _lock = threading.Lock()

    @classmethod
    def count(cls, name: str, change: int) -> None:
        """Counts a thread starting (+1) or ending (-1) an override of entry ``name``."""
        if name not in _FLAGS:
            return  # no hot path reads it
        with cls._lock:
            cls._overrides[name] = cls._overrides.get(name, 0) + change
            cls._refresh(name)

    @classmethod
    def refresh(cls) -> None:
        """Recomputes every flag (after a change of the global configuration)."""
        for name in _FLAGS:
            cls._refresh(name)

    @classmethod
    def _refresh(cls, name: str) -> None:
        flag, usual = _FLAGS[name]
        unusual_globally = bool(getattr(LocalConfig, name, usual)) is not usual
        setattr(cls, flag, unusual_globally or cls._overrides.get(name, 0) > 0)


#: The entries with a flag in :class:`Unusual`: name -> (flag, the entry's usual value).
_FLAGS = {'debug': ('debug', False), 'enable_backprop': ('no_backprop', True),
          'type_check': ('no_type_check', True)}


class GlobalConfig:
    """Configuration shared by every thread.

    The entries of ``global_config`` are mirrored as class attributes of
    :class:`LocalConfig`, so that reading an entry no thread has overridden is
    a plain attribute lookup.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)
        if self is _mirrored:
            setattr(LocalConfig, name, value)
            Unusual.refresh()

    def __delattr__(self, name: str) -> None:
        object.__delattr__(self, name)
        if self is _mirrored:
            if name in LocalConfig.__dict__:
                delattr(LocalConfig, name)
            Unusual.refresh()

    def show(self, file: TextIO | None = None) -> None:
        """Prints the entries as ``name value`` lines, sorted by name.

        Args:
            file: Where to print (default: ``sys.stdout``).
        """
        _show(vars(self), file)


class LocalConfig(threading.local):
    """Thread-local configuration that reads through to a :class:`GlobalConfig`."""

    def __init__(self, global_config: GlobalConfig) -> None:
        super().__setattr__('_global', global_config)

    def __getattr__(self, name: str) -> Any:
        # Only a LocalConfig of another GlobalConfig than polychain's own gets here for
        # an entry that its global configuration holds.
        try:
            return vars(self._global)[name]
        except KeyError:
            raise AttributeError(f'polychain.config has no entry {name!r}') from None

    def __setattr__(self, name: str, value: Any) -> None:
        new = name not in vars(self)
        super().__setattr__(name, value)
        if new:
            Unusual.count(name, +1)

    def __delattr__(self, name: str) -> None:
        super().__delattr__(name)
        Unusual.count(name, -1)

    def show(self, file: TextIO | None = None) -> None:
        """Prints the effective entries of this thread as ``name value`` lines, sorted by name.

        Args:
            file: Where to print (default: ``sys.stdout``).
        """
        entries = dict(vars(self._global))
        entries.update({k: v for k, v in vars(self).items() if k != '_global'})
        _show(entries, file)


def _show(entries: dict[str, Any], file: TextIO | None) -> None:
    file = sys.stdout if file is None else file
    width = max(map(len, entries), default=0) + 1
    for name in sorted(entries):
        file.write(f'{name:<{width}}{entries[name]}\n')


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value not in ('0', '', 'false', 'False')


#: The GlobalConfig whose entries are mirrored as class attributes of LocalConfig.
_mirrored: GlobalConfig | None = None
global_config = _mirrored = GlobalConfig()
global_config.enable_backprop = True
global_config.train = True
global_config.debug = _env_flag('POLYCHAIN_DEBUG', False)
global_config.type_check = _env_flag('POLYCHAIN_TYPE_CHECK', True)
global_config.dtype = numpy.dtype(numpy.float32)
global_config.keep_graph_on_report = False
#: Chainer's switch to sum a variable's gradients only when they are used; polychain's
#: backward sums them as they arrive either way (the results are the same), and
#: :func:`polychain._backprop_utils.backprop_step` keeps them in lists while it is on.
global_config.lazy_grad_sum = False
global_config.use_cudnn = 'never'

config = LocalConfig(global_config)

_MISSING = object()


@contextlib.contextmanager
def using_config(name: str, value: Any, config: LocalConfig = config) -> Iterator[None]:
    """Sets ``config.<name>`` to ``value`` in this thread for the ``with`` block."""
    previous = override(name, value, config)
    try:
        yield
    finally:
        restore(name, previous, config)


def override(name: str, value: Any, config: LocalConfig = config) -> Any:
    """Sets ``config.<name>`` to ``value`` in this thread; returns what :func:`restore` needs.

    The two are :func:`using_config` without the context manager, for hot paths.
    """
    previous = vars(config).get(name, _MISSING)
    setattr(config, name, value)
    return previous


def restore(name: str, previous: Any, config: LocalConfig = config) -> None:
    """Undoes :func:`override`, given what it returned."""
    if previous is _MISSING:
        try:
            delattr(config, name)
        except AttributeError:
            pass  # already gone: a ``using_config`` left late, after the entry was reset
    else:
        setattr(config, name, previous)


class _Mixed16:
    """The ``config.dtype`` of mixed-precision training: float16 arrays, with float32
    where precision matters (``get_dtype(map_mixed16=...)``)."""

    #: What NumPy reads it as (``numpy.dtype(mixed16)``, ``x.astype(mixed16)``): float16.
    dtype = numpy.dtype(numpy.float16)

    def __repr__(self) -> str:
        return 'mixed16'


#: Chainer's mixed-precision dtype setting (``using_config('dtype', mixed16)``).
mixed16 = _Mixed16()


def get_dtype(dtype: Any = None, map_mixed16: Any = None) -> numpy.dtype:
    """``dtype``, or the configured ``config.dtype``, as a NumPy dtype.

    Args:
        dtype: A dtype, :data:`mixed16`, or ``None`` for ``config.dtype``.
        map_mixed16: What :data:`mixed16` stands for (float16 by default).
    """
    if dtype is None:
        dtype = config.dtype
    if dtype is mixed16:
        return numpy.dtype(numpy.float16 if map_mixed16 is None else map_mixed16)
    return numpy.dtype(dtype)


class DebugMode:
    """Turns ``config.debug`` on or off in this thread for a ``with`` block (deprecated:
    use ``using_config('debug', debug)``).

    Args:
        debug (bool): The value of ``config.debug`` in the block.
    """

    def __init__(self, debug: bool) -> None:
        warnings.warn('DebugMode is deprecated; use using_config("debug", ...) instead',
                      DeprecationWarning, stacklevel=2)
        if not isinstance(debug, bool):
            raise TypeError(f'DebugMode: expected a bool, received {type(debug).__name__}')
        self._debug = debug
        self._previous: Any = None

    def __enter__(self) -> None:
        self._previous = override('debug', self._debug)

    def __exit__(self, *exc_info: Any) -> None:
        restore('debug', self._previous)


def no_backprop_mode() -> contextlib.AbstractContextManager[None]:
    """Functions called in the block build no graph (``config.enable_backprop = False``)."""
    return using_config('enable_backprop', False)


def force_backprop_mode() -> contextlib.AbstractContextManager[None]:
    """Functions called in the block build a graph even inside ``no_backprop_mode``."""
    return using_config('enable_backprop', True)
