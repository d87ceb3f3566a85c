"""The warning that marks an API as experimental."""

from __future__ import annotations

import sys
import warnings


def experimental(api_name: str) -> None:
    """Warns (``FutureWarning``) that ``api_name`` is experimental.

    Call it at the start of an experimental function or constructor. Setting
    ``polychain.disable_experimental_feature_warning = True`` silences it.

    Args:
        api_name (str): The name shown in the warning, e.g. ``'MyLink.fuse'``.
    """
    # The flag is an attribute of the package, which is loaded whenever this runs: read it
    # there rather than import the package from one of its modules.
    if getattr(sys.modules.get('polychain'), 'disable_experimental_feature_warning', False):
        return
    warnings.warn(f'{api_name} is experimental. Its signature and behaviour may change in a '
                  f'future version without notice.', FutureWarning, stacklevel=2)
