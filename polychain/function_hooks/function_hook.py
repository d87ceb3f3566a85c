"""FunctionHook: callbacks around every function application, globally or per function."""

from __future__ import annotations

from typing import Any

from polychain.function_node import function_hook_registry
from polychain.utils.scoped_hooks import ScopedHook


def get_function_hooks() -> dict[str, FunctionHook]:
    """The function hooks active in this thread, by name, in registration order."""
    return function_hook_registry.hooks


class FunctionHook(ScopedHook):
    """Base class of callbacks run before and after each function's forward and backward.

    Use it as a context manager to apply it to every function called inside
    the block (in this thread), or attach it to one function with
    :meth:`polychain.FunctionNode.add_hook`. Subclasses override the
    callbacks they need.

    Attributes:
        name: The key under which the hook is registered.
        synchronizes: Whether the outputs of forward and backward are computed
            (on asynchronous backends) before the post-process callbacks run;
            hooks that measure time set it.
    """

    name = 'FunctionHook'
    synchronizes = False
    _registry = function_hook_registry

    def forward_preprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        """Called before ``function.forward(in_data)``."""

    def forward_postprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        """Called after ``function.forward(in_data)``."""

    def backward_preprocess(self, function: Any, in_data: tuple[Any, ...],
                            out_grad: tuple[Any, ...]) -> None:
        """Called before ``function.backward``; ``in_data`` holds the retained inputs
        (None for the others) and ``out_grad`` the output gradient arrays (or None)."""

    def backward_postprocess(self, function: Any, in_data: tuple[Any, ...],
                             out_grad: tuple[Any, ...]) -> None:
        """Called after ``function.backward``."""
