"""Keeping chosen parameters fixed during training."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class FreezeParameters:
    """Drops the gradients of the chosen parameters, so that optimizers leave them as they are.

    Register it before hooks that look at all gradients together (such as
    :class:`GradientClipping`), so that frozen gradients do not count.

    Args:
        targets: Paths as :meth:`~polychain.Link.namedparams` names them: a
            parameter (``'/l1/W'``) or a link, freezing all its parameters
            (``'/l1'``). A single path may be given as a string.

    Attributes:
        timing: ``'pre'``: it runs before the parameters are updated.
        call_for_each_param: ``False``: it is called once as ``hook(optimizer)``.
    """

    name = 'FreezeParameters'
    call_for_each_param = False
    timing = 'pre'

    def __init__(self, targets: str | Iterable[str]) -> None:
        paths = (targets,) if isinstance(targets, str) else tuple(targets)
        for path in paths:
            if not isinstance(path, str) or not path.startswith('/'):
                raise ValueError(f"FreezeParameters: expected paths such as '/l1' or '/l1/W', "
                                 f'received {path!r}')
        self.targets = tuple(path.rstrip('/') or '/' for path in paths)

    def _is_frozen(self, path: str) -> bool:
        return any(target == '/' or path == target or path.startswith(target + '/')
                   for target in self.targets)

    def __call__(self, opt: Any) -> None:
        for path, param in opt.target.namedparams(include_uninit=False):
            if self._is_frozen(path):
                param.cleargrad()
