"""``print_runtime_info``: the platform, library versions and backends, for bug reports."""

from __future__ import annotations

import platform
import sys
from importlib import metadata
from typing import IO

from polychain.backend import list_backends

#: Libraries shown by name and installed distribution; absent ones are shown as such.
_LIBRARIES = (('NumPy', 'numpy'), ('array-api-compat', 'array-api-compat'),
              ('SciPy', 'scipy'), ('h5py', 'h5py'))


def print_runtime_info(out: IO[str] | None = None) -> None:
    """Prints the runtime environment: platform, versions and every registered backend.

    Each backend is loaded to list it (this imports its array library); one
    that cannot be used is shown with the reason.

    Args:
        out: The stream to write to (``sys.stdout`` by default).
    """
    if out is None:
        out = sys.stdout
    out.write(str(_get_runtime_info()))
    if hasattr(out, 'flush'):
        out.flush()


class _RuntimeInfo:
    """The runtime environment, gathered once; ``str()`` gives the report."""

    def __init__(self) -> None:
        self.lines = runtime_info_lines()

    def __str__(self) -> str:
        return ''.join(line + '\n' for line in self.lines)


def _get_runtime_info() -> _RuntimeInfo:
    """The runtime environment that :func:`print_runtime_info` prints (Chainer's name)."""
    return _RuntimeInfo()


def runtime_info_lines() -> list[str]:
    """The lines :func:`print_runtime_info` prints."""
    import polychain
    lines = [f'Platform: {platform.platform()}',
             f'Python: {platform.python_version()}',
             f'polychain: {polychain.__version__}']
    lines += [f'{label}: {_version(distribution)}' for label, distribution in _LIBRARIES]
    lines.append('Backends:')
    lines += ['  ' + line for line in _backend_lines()]
    return lines


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return 'Not Available'


def _backend_lines() -> list[str]:
    try:
        infos = list_backends()
    except Exception as error:  # a broken plugin must not hide the rest of the report
        return [f'listing the backends failed with {type(error).__name__}: {error}']
    if not infos:
        return ['(none registered: install polychain with pip so that its entry points exist)']
    lines = []
    for info in infos:
        if info.available:
            lines.append(f'{info.name}: available ({info.description}); '
                         f'devices: {", ".join(info.devices) or "(none)"}')
        else:
            lines.append(f'{info.name}: unavailable ({info.reason})')
    return lines
