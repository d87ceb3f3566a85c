"""The warning that marks an API as experimental."""

from __future__ import annotations

import warnings


def experimental(api_name: str) -> None:
    """Warns (``FutureWarning``) that ``api_name`` is experimental.

    Call it at the start of an experimental function or constructor. Setting
    ``polychain.disable_experimental_feature_warning = True`` silences it.

    Args:
        api_name (str): The name shown in the warning, e.g. ``'MyLink.fuse'``.
    """
    import polychain
    if polychain.disable_experimental_feature_warning:
        return
    warnings.warn(f'{api_name} is experimental. Its signature and behaviour may change in a '
                  f'future version without notice.', FutureWarning, stacklevel=2)
