"""Extensions: procedures the Trainer calls during training."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PRIORITY_WRITER = 300
PRIORITY_EDITOR = 200
PRIORITY_READER = 100


class Extension:
    """Base class of trainer extensions.

    Class attributes give the defaults :meth:`Trainer.extend` uses:
    ``trigger`` (``(1, 'iteration')``), ``priority`` (``PRIORITY_READER``) and
    ``name`` (``default_name``, the class name).
    """

    trigger: Any = 1, 'iteration'
    priority: int = PRIORITY_READER
    name: str | None = None

    @property
    def default_name(self) -> str:
        """The name used when ``extend`` gets none."""
        return type(self).__name__

    def __call__(self, trainer: Any) -> None:
        raise NotImplementedError(f'{self.default_name} must implement __call__(trainer)')

    def initialize(self, trainer: Any) -> None:
        """Called before the training loop starts (also when resuming)."""

    def on_error(self, trainer: Any, exc: BaseException, tb: Any) -> None:
        """Called when the training loop stops with an exception."""

    def finalize(self) -> None:
        """Called after the training loop, whether it finished or failed."""

    def serialize(self, serializer: Any) -> None:
        """Saves or loads the extension's state (none by default)."""


def make_extension(trigger: Any = None, default_name: str | None = None,
                   priority: int | None = None, finalizer: Callable[[], None] | None = None,
                   initializer: Callable[[Any], None] | None = None,
                   on_error: Callable[..., None] | None = None,
                   **kwargs: Any) -> Callable[[Any], Any]:
    """Decorator giving a function the attributes of an extension.

    Args:
        trigger: Default trigger (``(1, 'iteration')`` when ``None``).
        default_name: Default name (the function's name when ``None``).
        priority: Default priority (``PRIORITY_READER`` when ``None``).
        finalizer: Called after training.
        initializer: Called with the trainer before training.
        on_error: Called with ``(trainer, exc, tb)`` when training fails.

    Raises:
        ValueError: ``invoke_before_training`` is given (removed in Chainer v2; use
            ``call_before_training`` of :meth:`Trainer.extend`).
        TypeError: Another unexpected keyword argument is given.
    """
    if 'invoke_before_training' in kwargs:
        raise ValueError('make_extension: invoke_before_training is no longer supported; '
                         'use Trainer.extend(..., call_before_training=True)')
    if kwargs:
        raise TypeError(f'make_extension: unexpected keyword arguments {sorted(kwargs)}')
    def decorator(ext: Any) -> Any:
        ext.trigger = trigger if trigger is not None else (1, 'iteration')
        ext.default_name = default_name or getattr(ext, '__name__', type(ext).__name__)
        ext.priority = PRIORITY_READER if priority is None else priority
        ext.finalize = finalizer
        ext.initialize = initializer
        ext.on_error = on_error
        return ext
    return decorator
