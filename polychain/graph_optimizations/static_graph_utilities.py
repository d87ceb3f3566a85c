"""``static_code``: code that runs on every call of a static chain; also names
``static_forward_optimizations`` (of :mod:`polychain.function_node`), as Chainer does."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from polychain.compiler import context as compile_context
from polychain.compiler.tree import is_array
from polychain.configuration import config
from polychain.function_node import static_forward_optimizations  # noqa: F401 (re-exported)
from polychain.variable import Variable


def static_code(*dec_args: Any, **dec_kwargs: Any) -> Callable:
    """Decorator marking a function that must run on every call of a static chain.

    Use it as ``@static_code`` or ``@static_code(func_name='name')``. Eagerly,
    the function simply runs each time it is called; inside a static chain the
    call is also recorded in the chain's current
    :class:`~polychain.graph_optimizations.static_graph.StaticSchedule` under
    ``func_name`` (or the function's name). In compiled code (a static chain on
    JAX, :func:`polychain.jit`) it runs on the host, while the code is traced
    and again on every later call of the compiled program; it may not take
    arrays.

    Args:
        func_name (str): A name for the function in the schedule (keyword only).
    """
    if len(dec_args) == 1 and not dec_kwargs and callable(dec_args[0]):
        return _static_code(dec_args[0], None)
    unknown = set(dec_kwargs) - {'func_name'}
    if dec_args or unknown:
        raise TypeError(f'static_code: expected only the keyword argument func_name, '
                        f'received {dec_args!r} and {sorted(unknown)!r}')
    func_name = dec_kwargs.get('func_name')
    return lambda func: _static_code(func, func_name)


def _static_code(func: Callable, func_name: str | None) -> Callable:
    name = func_name if func_name is not None else getattr(func, '__name__', repr(func))

    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        schedule = config.schedule_func
        if schedule is not None:
            schedule.append_function(name)
        context = compile_context.current()
        if context is not None:
            if not context.static_code:
                return None
            _check_no_arrays(name, args, kwargs)
            context.static_calls.append((func, args, kwargs))
        return func(*args, **kwargs)
    return wrapped


class StaticCodeTakesArrays(TypeError):
    """A ``static_code`` function received arrays inside compiled code."""


def _check_no_arrays(name: str, args: tuple, kwargs: dict) -> None:
    """A ``static_code`` function in compiled code runs on the host: it cannot take arrays."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, Variable) or is_array(value):
            raise StaticCodeTakesArrays(
                f'static_code: {name} receives an array inside compiled code; a static_code '
                f'function of a compiled step runs on the host on every call and cannot take '
                f'arrays computed by the step')
