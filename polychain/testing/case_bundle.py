"""Class decorators that turn one test class into several generated subclasses.

:func:`~polychain.testing.parameterize` and
:func:`~polychain.testing.inject_backend_tests` both derive one subclass per
parameter set. The decorated name is bound to a :class:`TestCaseBundle` that
test runners do not collect; the generated classes are placed in the module
(when the class is defined at module level) so that pytest and unittest find
them, and stacking the decorators multiplies the cases.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: A method generator maps a test function to its replacement (``None`` removes it).
MethodGenerator = Callable[[Callable[..., Any]], Any]
#: What a case generator yields per generated class: name, extra members, method generator.
GeneratedCase = tuple[str, dict[str, Any], MethodGenerator]


class TestCaseBundle:
    """The classes generated from one decorated test class.

    Attributes:
        cases: The generated test classes, in generation order.
    """

    __test__ = False

    def __init__(self, cases: list[type]) -> None:
        self.cases = cases

    def __iter__(self) -> Iterator[type]:
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)

    def __repr__(self) -> str:
        return f'<TestCaseBundle of {len(self.cases)} classes>'


def make_decorator(decorator_name: str,
                   generate: Callable[[type], Iterable[GeneratedCase]]) -> Callable[[Any], Any]:
    """A class decorator deriving the cases that ``generate`` describes from each input class.

    Args:
        decorator_name: Used in error messages.
        generate: Called with each source class; yields ``(name, members,
            method_generator)`` per class to derive.
    """
    def decorate(target: Any) -> TestCaseBundle:
        if isinstance(target, TestCaseBundle):
            sources = list(target.cases)
        elif inspect.isclass(target):
            sources = [target]
        else:
            raise TypeError(f'{decorator_name}: expected a test class, received '
                            f'{type(target).__name__}: {target!r}')
        generated = [_derive(source, name, members, method_generator)
                     for source in sources
                     for name, members, method_generator in generate(source)]
        _publish(sources, generated)
        return TestCaseBundle(generated)
    return decorate


def test_method_names(cls: type) -> list[str]:
    """Names of the test methods (``test*`` functions) of ``cls`` and its bases."""
    return sorted(name for name, value in inspect.getmembers(cls, inspect.isfunction)
                  if name.startswith('test'))


def _derive(source: type, name: str, members: dict[str, Any],
            method_generator: MethodGenerator) -> type:
    namespace = dict(members)
    for method_name in test_method_names(source):
        namespace[method_name] = method_generator(getattr(source, method_name))
    namespace['__module__'] = source.__module__
    namespace['__qualname__'] = _qualname_prefix(source) + name
    return type(name, (source,), namespace)


def _qualname_prefix(cls: type) -> str:
    """What precedes the class's name in its qualified name (``''`` at module level).

    Generated names may contain dots (``Test_param_0_{x=0.5}``), so the prefix
    is cut by the name's length rather than at the last dot.
    """
    qualname, name = cls.__qualname__, cls.__name__
    if qualname.endswith(name):
        return qualname[:len(qualname) - len(name)]
    return qualname.rpartition('.')[0] + '.'


def _is_module_level(cls: type) -> bool:
    return _qualname_prefix(cls) == ''


def _publish(sources: list[type], generated: list[type]) -> None:
    """Replaces the source classes by the generated ones in their module's namespace."""
    if not sources or not all(_is_module_level(cls) for cls in sources):
        return
    module = sys.modules.get(sources[0].__module__)
    if module is None:
        return
    for cls in sources:
        if getattr(module, cls.__name__, None) is cls:
            delattr(module, cls.__name__)
    for cls in generated:
        setattr(module, cls.__name__, cls)
