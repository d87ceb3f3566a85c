"""Makes ``import chainer`` (and ``chainer.<sub>``) resolve to polychain's modules,
and ``import chainermn`` to ``polychain.chainermn``.

:func:`install` puts a finder first on ``sys.meta_path``: ``chainer.functions.math.einsum``
is the module object ``polychain.functions.math.einsum``, so attributes patched
through one name are seen through the other. Nothing is copied and no module is
re-executed. :func:`uninstall` removes the finder and the aliased names again.

The one exception is ``chainer`` itself: it is a :class:`ChainerModule`, a thin
module object that is polychain in everything except ``__version__``, which is
the Chainer release whose API polychain follows (scripts compare it with the
Chainer release they need), while ``polychain.__version__`` stays polychain's
own. Every other attribute read, write and deletion, ``__dict__`` and
``__path__`` included, goes to the polychain module, so ``chainer.config``,
``mock.patch.object(chainer, ...)`` and the binding of submodules on import act
on polychain. A thin module, rather than setting ``polychain.__version__`` while
the alias is installed, leaves polychain's own version where polychain reports it
(``print_runtime_info``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType

ALIAS = 'chainer'
TARGET = 'polychain'
#: Each aliased package and the polychain package it is.
ALIASES = {ALIAS: TARGET, 'chainermn': 'polychain.chainermn'}


def _target_name(fullname: str) -> str | None:
    for alias, target in ALIASES.items():
        if fullname == alias:
            return target
        if fullname.startswith(alias + '.'):
            return target + fullname[len(alias):]
    return None


class ChainerModule(ModuleType):
    """``chainer``: the module ``target`` in everything except ``__version__``."""

    __slots__ = ('_target',)
    #: The attributes kept on this module rather than on the target.
    OWN = frozenset({'__version__'})

    def __init__(self, target: ModuleType, version: str) -> None:
        ModuleType.__setattr__(self, '_target', target)
        ModuleType.__setattr__(self, '__version__', version)

    def __getattribute__(self, name: str) -> object:
        if name in ChainerModule.OWN:
            return ModuleType.__getattribute__(self, name)
        return getattr(ModuleType.__getattribute__(self, '_target'), name)

    def __setattr__(self, name: str, value: object) -> None:
        if name in ChainerModule.OWN:
            ModuleType.__setattr__(self, name, value)
        else:
            setattr(ModuleType.__getattribute__(self, '_target'), name, value)

    def __delattr__(self, name: str) -> None:
        if name in ChainerModule.OWN:
            ModuleType.__delattr__(self, name)
        else:
            delattr(ModuleType.__getattribute__(self, '_target'), name)

    def __dir__(self) -> list[str]:
        return dir(ModuleType.__getattribute__(self, '_target'))


def _alias_module(alias: str, module: ModuleType) -> ModuleType:
    """The module named ``alias``: a :class:`ChainerModule` for ``chainer``, else ``module``."""
    return ChainerModule(module, module.chainer_api_version) if alias == ALIAS else module


class ChainerAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds ``chainer[.x.y]`` as the already importable ``polychain[.x.y]``."""

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> importlib.machinery.ModuleSpec | None:
        target_name = _target_name(fullname)
        if target_name is None:
            return None
        try:
            target_spec = importlib.util.find_spec(target_name)
        except ModuleNotFoundError:
            return None
        if target_spec is None:
            return None
        spec = importlib.util.spec_from_loader(
            fullname, self, is_package=target_spec.submodule_search_locations is not None)
        spec.loader_state = target_spec
        return spec

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return _alias_module(spec.name, importlib.import_module(_target_name(spec.name)))

    def exec_module(self, module: ModuleType) -> None:
        """The module is polychain's, executed already; it keeps its own spec."""
        module.__spec__ = module.__spec__.loader_state


_finder = ChainerAlias()


def install() -> None:
    """Makes ``chainer`` an alias of ``polychain`` in this process (idempotent).

    The modules of polychain imported already get their ``chainer`` names at once:
    importing a module for the first time binds it as an attribute of its package,
    which would hide a function of the same name there (``chainer.utils.experimental``
    is the function, as in Chainer, and also the name of its module).
    """
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    for name, module in list(sys.modules.items()):
        if module is not None:
            for alias in _alias_names(name):
                if alias not in sys.modules:
                    sys.modules[alias] = _alias_module(alias, module)


def _alias_names(target_name: str) -> list[str]:
    names = []
    for alias, target in ALIASES.items():
        if target_name == target:
            names.append(alias)
        elif target_name.startswith(target + '.'):
            names.append(alias + target_name[len(target):])
    return names


def uninstall() -> None:
    """Removes the finder and every aliased name from ``sys.modules``."""
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    for name in [name for name in sys.modules if _target_name(name) is not None]:
        del sys.modules[name]
