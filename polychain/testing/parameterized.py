"""Parameterized test classes: ``product``, ``product_dict``, ``parameterize`` and
``parameterize_pytest``."""

from __future__ import annotations

import functools
import inspect
import itertools
import re
import unittest
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy

from polychain.testing.case_bundle import GeneratedCase, make_decorator

_MAX_VALUE_LENGTH = 40
_ADDRESS = re.compile(r' at 0x[0-9a-fA-F]+')


def product(parameter: dict[str, Sequence[Any]] | Sequence[Sequence[dict[str, Any]]]
            ) -> list[dict[str, Any]]:
    """The Cartesian product of parameter values, as a list of dicts.

    Args:
        parameter: Either a dict mapping each name to a list of values (gives
            one dict per combination; a key naming several parameters,
            ``'shape,dtype'``, takes tuples of their values), or a list of
            lists of dicts (gives the merged dicts of each combination, one
            dict from each list).

    Returns:
        The parameter dicts, to be passed to :func:`parameterize`.
    """
    if isinstance(parameter, dict):
        return product_dict(*(from_pytest_parameterize(key, list(parameter[key]))
                              for key in sorted(parameter)))
    if isinstance(parameter, (list, tuple)):
        return product_dict(*parameter)
    raise TypeError(f'product: expected a dict of lists or a list of lists of dicts as '
                    f'parameter, received {type(parameter).__name__}: {parameter!r}')


def product_dict(*parameters: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merged dicts of every combination taking one dict from each list.

    Args:
        parameters: Lists of dicts.

    Returns:
        One dict per combination; later lists override keys of earlier ones.
    """
    for parameter in parameters:
        if not all(isinstance(d, dict) for d in parameter):
            raise TypeError(f'product_dict: expected lists of dicts, received {parameter!r}')
    return [{key: value for d in dicts for key, value in d.items()}
            for dicts in itertools.product(*parameters)]


#: :func:`product_dict` itself, kept for tools that swap ``product_dict`` temporarily.
_product_dict_orig = product_dict


def _pairwise_product_dict(*parameters: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Like :func:`product_dict`, but only enough combinations to cover every pair.

    Each pair of dicts taken from two different lists appears merged in at
    least one combination (a greedy all-pairs covering); with fewer than three
    lists this is the full product.
    """
    if len(parameters) < 3 or any(len(p) == 0 for p in parameters):
        return product_dict(*parameters)
    uncovered = {((i, a), (j, b))
                 for i, j in itertools.combinations(range(len(parameters)), 2)
                 for a in range(len(parameters[i])) for b in range(len(parameters[j]))}
    chosen = []
    while uncovered:
        (i, a), (j, b) = min(uncovered)
        choice = {i: a, j: b}
        for k in range(len(parameters)):
            if k not in choice:
                choice[k] = max(range(len(parameters[k])), key=lambda c: sum(
                    ((min(k, m), c if k < m else v), (max(k, m), v if k < m else c))
                    in uncovered for m, v in choice.items()))
        uncovered -= {((m, choice[m]), (n, choice[n]))
                      for m, n in itertools.combinations(range(len(parameters)), 2)}
        chosen.append(tuple(choice[k] for k in range(len(parameters))))
    return [{key: value for k, c in enumerate(combination)
             for key, value in parameters[k][c].items()} for combination in chosen]


def from_pytest_parameterize(names: str | Sequence[str], values: Sequence[Any]
                             ) -> list[dict[str, Any]]:
    """Parameter dicts from ``pytest.mark.parametrize``-style arguments.

    Args:
        names: A name, comma-separated names (``'shape,dtype'``) or a sequence of names.
        values: One value per dict for a single name; tuples of values for several.

    Returns:
        One dict per entry of ``values``.
    """
    if isinstance(names, str):
        names = [name.strip() for name in names.split(',')]
    names = list(names)
    if not isinstance(values, (list, tuple)):
        raise TypeError(f'expected a list of values for {names}, received '
                        f'{type(values).__name__}: {values!r}')
    if len(names) == 1:
        return [{names[0]: value} for value in values]
    dicts = []
    for value in values:
        if not isinstance(value, (tuple, list)) or len(value) != len(names):
            raise ValueError(f'expected {len(names)} values for {names}, received {value!r}')
        dicts.append(dict(zip(names, value)))
    return dicts


def parameterize_pytest(names: str | Sequence[str], values: Sequence[Any]
                        ) -> Callable[[Any], Any]:
    """:func:`parameterize` taking ``pytest.mark.parametrize``'s arguments.

    ``parameterize_pytest('a,b', [(1, 2), (3, 4)])`` is
    ``parameterize({'a': 1, 'b': 2}, {'a': 3, 'b': 4})``; stack several to
    take their product.
    """
    return parameterize(*from_pytest_parameterize(names, values))


def parameterize(*params: dict[str, Any]) -> Callable[[Any], Any]:
    """A class decorator generating one test class per parameter dict.

    Each generated class is a subclass of the decorated one with the dict's
    entries as class attributes, named
    ``<Base>_param_<index>_{<key>=<value>, ...}``. It works with
    ``unittest.TestCase`` subclasses and plain pytest classes, and stacks
    with itself and :func:`~polychain.testing.inject_backend_tests`. A failing
    test's exception carries a note naming the parameters. A parameter that
    is a function stays a plain function when read from ``self``.

    Args:
        params: One dict per generated class (see :func:`product`).
    """
    for param in params:
        if not isinstance(param, dict):
            raise TypeError(f'parameterize: expected dicts of parameters, received '
                            f'{type(param).__name__}: {param!r}')
    return make_decorator('parameterize', lambda base: _parameterized_cases(base, params))


def format_value(value: Any) -> str:
    """A short readable form of a parameter value for class names and messages.

    The same parameters give the same text in every process (pytest-xdist
    workers compare their test names): arrays show their shape and dtype, not
    their (often random) values, and objects no memory address.
    """
    text = _plain(value)
    return text if len(text) <= _MAX_VALUE_LENGTH else text[:_MAX_VALUE_LENGTH - 3] + '...'


def _plain(value: Any) -> str:
    if isinstance(value, type):
        return value.__name__
    if isinstance(value, numpy.dtype):
        return value.name
    if isinstance(value, numpy.ndarray):
        return f'array(shape={value.shape}, dtype={value.dtype.name})'
    if isinstance(value, (tuple, list)) and type(value) in (tuple, list):
        items = ', '.join(_plain(item) for item in value)
        return f'({items},)' if type(value) is tuple and len(value) == 1 else (
            f'({items})' if type(value) is tuple else f'[{items}]')
    return _ADDRESS.sub('', repr(value))


def _parameterized_cases(base: type, params: Sequence[dict[str, Any]]) -> Iterator[GeneratedCase]:
    for index, param in enumerate(params):
        shown = ', '.join(f'{key}={format_value(value)}' for key, value in param.items())
        name = f'{base.__name__}_param_{index}_{{{shown}}}'
        members = {key: staticmethod(value) if inspect.isfunction(value) else value
                   for key, value in param.items()}
        yield name, members, functools.partial(_note_parameters, base, param)


def _note_parameters(base: type, param: dict[str, Any], method: Callable[..., Any]
                     ) -> Callable[..., Any]:
    """Wraps a test method so that its failures name the parameters of the class."""
    @functools.wraps(method)
    def parameterized_test(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except unittest.SkipTest:
            raise
        except Exception as error:
            lines = [f'Parameterized test failed: {base.__name__}.{method.__name__}',
                     'Test parameters:']
            lines += [f'  {key}: {format_value(value)}' for key, value in param.items()]
            if hasattr(error, 'add_note'):  # Python 3.11 and later
                error.add_note('\n'.join(lines))
            raise
    return parameterized_test
