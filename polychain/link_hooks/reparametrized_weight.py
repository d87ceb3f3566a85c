"""Base of link hooks that replace a link's weight by a function of it during each call."""

from __future__ import annotations

import math
from typing import Any

from polychain.link_hooks.link_hook import (
    ForwardPostprocessCallbackArgs,
    ForwardPreprocessCallbackArgs,
    LinkHook,
)
from polychain.parameter import Parameter
from polychain.variable import Variable


class ReparametrizedWeightHook(LinkHook):
    """Calls a link with its weight replaced by :meth:`reparametrize` of it.

    Before each call the weight attribute holds the reparametrized Variable
    (computed with polychain functions, so gradients reach the original
    Parameter); after the call it holds the registered Parameter again, so
    :meth:`~polychain.Link.params` and optimizers never see the substitute.
    A weight that is not initialised yet is created from the first input, as
    the link itself would.

    The hook is attached to one link with :meth:`polychain.Link.add_hook`;
    it cannot be used as a ``with`` block.

    Args:
        weight_name: Name of the link's weight attribute.
        name: Name of the hook (default: the class's ``name``).
    """

    def __init__(self, weight_name: str = 'W', name: str | None = None) -> None:
        self.weight_name = weight_name
        if name is not None:
            self.name = name
        self._originals: dict[int, Parameter] = {}

    def __enter__(self) -> Any:
        raise NotImplementedError(f'{type(self).__name__} is attached to a link with '
                                  f'link.add_hook(hook); it cannot be used as a with block')

    def __exit__(self, *exc_info: Any) -> None:
        raise NotImplementedError(f'{type(self).__name__} cannot be used as a with block')

    # -- what subclasses provide -------------------------------------------------------
    def prepare(self, link: Any, weight: Parameter) -> None:
        """Called once the weight is initialised, to register what the hook needs."""

    def reparametrize(self, link: Any, weight: Parameter) -> Variable:
        """The Variable that stands for ``weight`` during the call."""
        raise NotImplementedError(f'{type(self).__name__} must implement reparametrize()')

    # -- callbacks ---------------------------------------------------------------------
    def added(self, link: Any = None) -> None:
        weight = self._registered_weight(link, 'added')
        if weight.is_initialized:
            self.prepare(link, weight)

    def forward_preprocess(self, args: ForwardPreprocessCallbackArgs) -> None:
        link = args.link
        weight = self._registered_weight(link, 'forward_preprocess')
        if not weight.is_initialized:
            _initialize_from_input(link, weight, args, self.name)
            self.prepare(link, weight)
        self._originals[id(link)] = weight
        link.__dict__[self.weight_name] = self.reparametrize(link, weight)

    def forward_postprocess(self, args: ForwardPostprocessCallbackArgs) -> None:
        link = args.link
        link.__dict__[self.weight_name] = self._originals.pop(id(link))

    def _registered_weight(self, link: Any, where: str) -> Parameter:
        weight = link.__dict__.get(self.weight_name)
        if not isinstance(weight, Parameter):
            # A call that raised left the substitute in place: put the Parameter back.
            weight = self._originals.pop(id(link), None)
            if weight is not None:
                link.__dict__[self.weight_name] = weight
        if not isinstance(weight, Parameter):
            raise ValueError(f'{type(self).__name__}.{where}: expected {type(link).__name__} '
                             f'to have a Parameter {self.weight_name!r}, received '
                             f'{type(link.__dict__.get(self.weight_name)).__name__} (one '
                             f'hook at a time may replace a weight)')
        return weight


def _initialize_from_input(link: Any, weight: Parameter, args: ForwardPreprocessCallbackArgs,
                           hook_name: str) -> None:
    """Creates ``weight`` from the first input of the call, as the link's forward would."""
    from polychain.links.connection.linear import Linear

    x = args.args[0] if args.args else None
    if x is None:
        raise ValueError(f'{hook_name}: the weight of {type(link).__name__} is not '
                         f'initialised and the call has no input to infer its shape from')
    if isinstance(link, Linear) and weight is link.W:
        n_batch_axes = args.kwargs.get('n_batch_axes',
                                       args.args[1] if len(args.args) > 1 else 1)
        weight.initialize((link.out_size, math.prod(x.shape[n_batch_axes:])))
    elif hasattr(link, '_initialize_params'):
        link._initialize_params(x.shape[1])
    else:
        raise ValueError(f'{hook_name}: the weight of {type(link).__name__} is not '
                         f'initialised and the hook does not know how to create it; call '
                         f'the link once or initialise the weight before attaching the hook')
