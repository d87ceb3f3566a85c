"""The ``chainerx`` module of an installation without ChainerX.

polychain has no ChainerX. Chainer's own tests import ``chainerx`` and ask
:func:`is_available`; their ChainerX cases carry the ``chainerx`` mark and are
deselected. Anything else reached through this module raises, saying so.
"""

_UNAVAILABLE = 'ChainerX is not available: polychain runs Chainer code on its own backends'


def is_available() -> bool:
    """ChainerX is never available here."""
    return False


class ndarray:  # noqa: N801 (ChainerX's name)
    """A placeholder type: no array is ever a ChainerX array here."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError(_UNAVAILABLE)


def __getattr__(name: str) -> object:
    if name.startswith('__'):
        raise AttributeError(name)
    raise RuntimeError(f'chainerx.{name}: {_UNAVAILABLE}')
