"""``print_runtime_info``: the platform, library versions and backends, for bug reports."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata
from typing import IO

from polychain._version import __version__, chainer_api_version
from polychain.backend import list_backends

#: Libraries shown by name and installed distribution; absent ones are shown as such.
_LIBRARIES = (('NumPy', 'numpy'), ('array-api-compat', 'array-api-compat'),
              ('SciPy', 'scipy'), ('h5py', 'h5py'))

#: Environment variables that set the number of BLAS threads, in the order libraries read them.
BLAS_THREAD_VARIABLES = ('OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'BLIS_NUM_THREADS',
                         'OMP_NUM_THREADS')


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
    lines = [f'Platform: {platform.platform()}',
             f'Python: {platform.python_version()}',
             f'polychain: {__version__}',
             f'Chainer API: {chainer_api_version}']
    lines += [f'{label}: {_version(distribution)}' for label, distribution in _LIBRARIES]
    lines.append(f'BLAS threads: {blas_threads()}')
    lines.append('Backends:')
    lines += ['  ' + line for line in _backend_lines()]
    return lines


def blas_threads() -> str:
    """How many threads the loaded BLAS libraries use (NumPy's at least), and how that is known.

    threadpoolctl, when installed, asks each library; otherwise the
    environment variables that set the number are shown.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        pools = None
    else:
        pools = [pool for pool in threadpool_info() if pool.get('user_api') == 'blas']
    if pools:
        return '; '.join(f"{pool['num_threads']} ({pool['internal_api']} {pool['version']} in "
                         f"{os.path.basename(os.path.dirname(pool['filepath']))})"
                         for pool in pools)
    settings = [f'{name}={os.environ[name]}' for name in BLAS_THREAD_VARIABLES
                if os.environ.get(name)]
    how = ', '.join(settings) if settings else \
        f'none of {", ".join(BLAS_THREAD_VARIABLES)} is set: the library default, usually one ' \
        f'per core ({os.cpu_count()} here)'
    source = 'threadpoolctl found no BLAS library' if pools == [] else \
        'install threadpoolctl to ask the library'
    return f'{how} ({source})'


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
