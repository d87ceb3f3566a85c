"""``static_graph``: marks a chain's ``__call__`` as a static graph, compiled on JAX.

Chainer traces the first call of a static chain into a schedule and replays
the schedule on later calls. polychain compiles the decorated method on
backends that compile (JAX): forward and backward become two programs, traced
once per input signature and cached (see
:mod:`polychain.graph_optimizations.compiled_static_graph`). On the other
backends, and for a first call that initialises parameters lazily, the method
runs as ordinary define-by-run code, with the same outputs and gradients.
The bookkeeping user code may read is kept on every backend: the chain gets a
:class:`ScheduleManager` as ``chain.schedule_manager`` and the schedule of the
current inputs as ``chain.static_schedule``, one :class:`StaticSchedule` per
input signature (shapes, dtypes, ``config.train``, ``config.enable_backprop``),
which records the :func:`~polychain.graph_optimizations.static_code` functions
run by the first call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from polychain.configuration import config, using_config
from polychain.graph_optimizations.compiled_static_graph import CompiledStaticChain

_OPTIONS = {'force_test_define_by_run': False, 'minimize_cache_size': True,
            'verbosity_level': 0, 'enable_double_backprop': False}


class StaticSchedule:
    """The schedule of a static chain for one input signature.

    Attributes:
        key (tuple): The signature: input shapes and dtypes, ``train`` and
            ``enable_backprop``.
        functions (list of str): The ``static_code`` functions run by the
            first call, in order.
        calls (int): How many times the chain ran with this signature.
    """

    def __init__(self, key: tuple, verbosity_level: int = 0,
                 enable_double_backprop: bool = False) -> None:
        self.key = key
        self.verbosity_level = verbosity_level
        self.enable_double_backprop = enable_double_backprop
        self.functions: list[str] = []
        self.calls = 0

    def is_empty(self) -> bool:
        """Whether no call has completed with this signature yet."""
        return self.calls == 0

    def append_function(self, name: str) -> None:
        """Records a ``static_code`` function run during the first call."""
        if self.calls == 0:
            self.functions.append(name)
            if self.verbosity_level >= 2:
                print(f'static_graph: recorded {name} in the schedule')

    def __repr__(self) -> str:
        return (f'StaticSchedule(key={self.key!r}, calls={self.calls}, '
                f'functions={self.functions!r})')


class ScheduleManager:
    """The schedules of one static chain, by input signature.

    Args:
        minimize_cache_size (bool): Keep only the schedule of the latest
            signature.
        verbosity_level (int): 0 prints nothing, 1 a line per new schedule,
            2 also a line per call.
    """

    def __init__(self, minimize_cache_size: bool = True, verbosity_level: int = 0) -> None:
        self.minimize_cache_size = minimize_cache_size
        self.verbosity_level = verbosity_level
        self.schedules: dict[tuple, StaticSchedule] = {}

    def get_schedule(self, in_vars: Any, enable_double_backprop: bool = False) -> StaticSchedule:
        """The schedule of inputs ``in_vars`` in the current configuration (made if new)."""
        key = (_signature(in_vars), bool(config.train), bool(config.enable_backprop))
        schedule = self.schedules.get(key)
        if schedule is None:
            if self.minimize_cache_size:
                self.schedules.clear()
            schedule = StaticSchedule(key, self.verbosity_level, enable_double_backprop)
            self.schedules[key] = schedule
            if self.verbosity_level >= 1:
                print(f'static_graph: new schedule for {key!r}')
        return schedule

    def end_forward(self) -> None:
        """Marks the end of a forward pass; a no-op, as eager schedules hold no arrays."""

    def __repr__(self) -> str:
        return f'ScheduleManager(schedules={list(self.schedules.values())!r})'


def static_graph(*args: Any, **kwargs: Any) -> Callable:
    """Decorator marking a chain's ``__call__`` (or another method) as a static graph.

    Use it as ``@static_graph`` or ``@static_graph(verbosity_level=1, ...)``.
    The method is compiled on JAX and runs eagerly elsewhere (see the module's
    documentation); ``config.use_static_graph = False`` runs it as plain
    define-by-run code.

    Args:
        force_test_define_by_run (bool): Skip the bookkeeping when
            ``config.train`` is false.
        minimize_cache_size (bool): Keep one schedule only.
        verbosity_level (int): 0, 1 or 2: how much to print.
        enable_double_backprop (bool): Kept for compatibility; gradients of
            static chains are always differentiable.

    Raises:
        TypeError: Unknown arguments, or the method's first argument is not
            a :class:`~polychain.Chain`.
        RuntimeError: A static chain is called inside another one.
    """
    if len(args) == 1 and not kwargs and callable(args[0]):
        return _wrap(args[0], dict(_OPTIONS))
    unknown = set(kwargs) - set(_OPTIONS)
    if args or unknown:
        raise TypeError(f'static_graph: expected only the keyword arguments '
                        f'{", ".join(_OPTIONS)}, received {args!r} and {sorted(unknown)!r}')
    return lambda func: _wrap(func, {**_OPTIONS, **kwargs})


def _wrap(func: Callable, options: dict[str, Any]) -> Callable:
    verbosity = options['verbosity_level']

    @functools.wraps(func)
    def wrapped(chain: Any, *args: Any, **kwargs: Any) -> Any:
        if not config.use_static_graph or (
                options['force_test_define_by_run'] and not config.train):
            return func(chain, *args, **kwargs)
        from polychain.link import Chain
        if not isinstance(chain, Chain):
            raise TypeError(f'static_graph: expected a Chain as the first argument of '
                            f'{func.__qualname__}, received {type(chain).__name__}')
        if config.schedule_func is not None:
            raise RuntimeError(f'static_graph: static chains may not be nested: '
                               f'{type(chain).__name__} is called inside another static chain')
        manager = chain.__dict__.get('schedule_manager')
        if manager is None:
            manager = ScheduleManager(options['minimize_cache_size'], verbosity)
            chain.schedule_manager = manager
        schedule = manager.get_schedule((args, kwargs), options['enable_double_backprop'])
        chain.static_schedule = schedule
        if verbosity >= 2:
            print(f'static_graph: calling {type(chain).__name__} ({schedule!r})')
        compiled = _compiled(chain, func)
        with using_config('schedule_func', schedule):
            if compiled.usable():
                outputs = compiled(args, kwargs)
            else:
                outputs = func(chain, *args, **kwargs)
        schedule.calls += 1
        return outputs
    return wrapped


def _compiled(chain: Any, func: Callable) -> CompiledStaticChain:
    """The compiled programs of ``func`` on ``chain`` (made on first use)."""
    programs = chain.__dict__.setdefault('_static_programs', {})
    compiled = programs.get(func)
    if compiled is None:
        compiled = programs[func] = CompiledStaticChain(chain, func)
    return compiled


def _signature(value: Any) -> tuple:
    """Shapes and dtypes of the arrays and Variables in nested tuples, lists and dicts."""
    return tuple(_leaves(value))


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, dict):
        for name in sorted(value):
            yield name
            yield from _leaves(value[name])
    elif hasattr(value, 'shape') and hasattr(value, 'dtype'):
        yield tuple(value.shape), str(value.dtype)
    else:
        yield type(value).__name__
