"""LinkHook: callbacks around every link call, globally or per link."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from polychain.utils.scoped_hooks import HookRegistry, ScopedHook


def _counted_on() -> type:
    from polychain.link import Link
    return Link


_REGISTRY = HookRegistry(_counted_on)


def get_link_hooks() -> dict[str, LinkHook]:
    """The link hooks active in this thread, by name, in registration order."""
    return _REGISTRY.hooks


@dataclass
class ForwardPreprocessCallbackArgs:
    """What :meth:`LinkHook.forward_preprocess` receives.

    Attributes:
        link: The link being called.
        forward_name: The name of the method called (``'forward'``).
        args: The positional arguments of the call.
        kwargs: The keyword arguments of the call.
    """

    link: Any
    forward_name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ForwardPostprocessCallbackArgs(ForwardPreprocessCallbackArgs):
    """What :meth:`LinkHook.forward_postprocess` receives: the call and its output ``out``."""

    out: Any = None


class LinkHook(ScopedHook):
    """Base class of callbacks run before and after each link's forward.

    Use it as a context manager to apply it to every link called inside the
    block (in this thread), or attach it to one link with
    :meth:`polychain.Link.add_hook`. Subclasses override the callbacks they need.
    """

    name = 'LinkHook'
    _registry = _REGISTRY

    def forward_preprocess(self, args: ForwardPreprocessCallbackArgs) -> None:
        """Called before the link's forward."""

    def forward_postprocess(self, args: ForwardPostprocessCallbackArgs) -> None:
        """Called after the link's forward."""
