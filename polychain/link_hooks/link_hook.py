"""LinkHook: callbacks around every link call, globally or per link."""

from __future__ import annotations

from polychain.link import (  # noqa: F401  (the hooks' arguments, named here too)
    ForwardPostprocessCallbackArgs,
    ForwardPreprocessCallbackArgs,
    link_hook_registry,
)
from polychain.utils.scoped_hooks import ScopedHook


def get_link_hooks() -> dict[str, LinkHook]:
    """The link hooks active in this thread, by name, in registration order."""
    return link_hook_registry.hooks


class LinkHook(ScopedHook):
    """Base class of callbacks run before and after each link's forward.

    Use it as a context manager to apply it to every link called inside the
    block (in this thread), or attach it to one link with
    :meth:`polychain.Link.add_hook`. Subclasses override the callbacks they need.
    """

    name = 'LinkHook'
    _registry = link_hook_registry

    def forward_preprocess(self, args: ForwardPreprocessCallbackArgs) -> None:
        """Called before the link's forward."""

    def forward_postprocess(self, args: ForwardPostprocessCallbackArgs) -> None:
        """Called after the link's forward."""
