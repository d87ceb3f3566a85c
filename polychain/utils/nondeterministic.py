"""Warning of computations whose results may vary between runs (``utils.nondeterministic``)."""

from __future__ import annotations

import warnings

from polychain.configuration import config


def nondeterministic(f_name: str) -> None:
    """Warns that ``f_name`` may not be deterministic, when ``config.warn_nondeterministic``.

    Call it where a computation may give different results for the same
    inputs (atomic additions on GPUs, some cuDNN algorithms...).

    Args:
        f_name: The name of the computation, shown in the warning.
    """
    if getattr(config, 'warn_nondeterministic', False):
        warnings.warn(f'Potentially nondeterministic code is being executed while '
                      f'config.warn_nondeterministic is set. Source: {f_name}', stacklevel=2)
