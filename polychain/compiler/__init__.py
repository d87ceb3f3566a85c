"""Compiled steps: :func:`jit` traces a define-by-run step into one program on JAX.

The package's modules load on first use (``polychain.compiler.context`` is
imported by functions deep in the import graph, before links and optimizers
exist).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ['CompileError', 'CompiledFunction', 'EagerFallbackWarning', 'jit']


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module('polychain.compiler.jit'), name)
    raise AttributeError(f'module polychain.compiler has no attribute {name!r}')
