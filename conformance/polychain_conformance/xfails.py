"""Known failures: each names the case, the backend, and why it fails.

polychain's own backends list theirs in :data:`EXPECTED_FAILURES`; a plugin
lists its own in a TOML file of its package, which ``python -m
polychain_conformance --xfails FILE`` and pytest's ``--conformance-xfails FILE``
read (:func:`read_expected_failures`). A listed cell that fails is reported as
``xfail``; one that passes is reported as ``xpass`` and fails the run, so that
the lists stay true.
"""

from __future__ import annotations

import importlib.resources
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polychain_conformance.spec import DTYPES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass(frozen=True)
class ExpectedFailure:
    """A case known to fail on one backend.

    Args:
        case: The case name (all its layouts).
        backend: The backend name (all its devices).
        reason: Why it fails, shown in reports.
        dtype: Only this dtype, or ``None`` for all.
    """

    case: str
    backend: str
    reason: str
    dtype: str | None = None

    def matches(self, case: str, backend: str, dtype: str) -> bool:
        """Whether this entry covers the cell ``(case, backend, dtype)``; ``case`` is a case
        name or the id of one of its layouts (``tanh[strided]``)."""
        return case.split('[', 1)[0] == self.case and self.backend == backend and \
            self.dtype in (None, dtype)


#: Known failures of polychain's own backends (plugins keep theirs in their own package).
EXPECTED_FAILURES: tuple[ExpectedFailure, ...] = ()

_KEYS = {'case', 'backend', 'reason', 'dtype'}


def read_expected_failures(source: str | os.PathLike[str]) -> tuple[ExpectedFailure, ...]:
    """Reads a TOML file of expected failures, one ``[[expected_failure]]`` table each.

    Each table has ``case``, ``backend`` and ``reason`` (all required, non-empty strings)
    and may have ``dtype`` (only this dtype; all when absent)::

        [[expected_failure]]
        case = "radd_array"
        backend = "strict"
        reason = "array_api_strict arrays raise TypeError for ..."

    Args:
        source: A path, or ``package:file`` for a file shipped inside an installed
            package (``polychain_strict:conformance_xfails.toml``).

    Raises:
        ValueError: The file is not such a list; the message names the file and entry.
        FileNotFoundError: There is no such file.
    """
    text = _read_text(str(source))
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f'{source}: not valid TOML: {error}') from None
    unknown = set(document) - {'expected_failure'}
    if unknown:
        raise ValueError(f'{source}: expected only [[expected_failure]] tables, received '
                         f'{", ".join(sorted(unknown))}')
    tables = document.get('expected_failure', [])
    if not isinstance(tables, list):
        raise ValueError(f'{source}: expected [[expected_failure]] tables (double brackets)')
    return tuple(_entry(f'{source}: expected_failure {i + 1}', table)
                 for i, table in enumerate(tables))


def _read_text(source: str) -> str:
    if os.path.exists(source) or ':' not in source:
        return Path(source).read_text(encoding='utf-8')
    package, _, name = source.partition(':')
    return importlib.resources.files(package).joinpath(name).read_text(encoding='utf-8')


def _entry(where: str, table: dict[str, Any]) -> ExpectedFailure:
    unknown = set(table) - _KEYS
    if unknown:
        raise ValueError(f'{where}: unknown keys {", ".join(sorted(unknown))}; expected '
                         f'case, backend, reason and optionally dtype')
    for key in ('case', 'backend', 'reason', 'dtype'):
        value = table.get(key)
        required = key != 'dtype'
        if (value is None and required) or (value is not None and
                                             (not isinstance(value, str) or not value.strip())):
            raise ValueError(f'{where}: {key!r} must be a non-empty string'
                             f'{"" if required else " when given"}, received {value!r}')
    if table.get('dtype') not in (None, *DTYPES):
        raise ValueError(f'{where}: dtype must be one of {", ".join(DTYPES)}, received '
                         f'{table["dtype"]!r}')
    return ExpectedFailure(table['case'], table['backend'], table['reason'], table.get('dtype'))


def expected_failure(failures: Sequence[ExpectedFailure], case: str, backend: str,
                     dtype: str) -> ExpectedFailure | None:
    """The entry of ``failures`` covering the cell, or ``None``."""
    for failure in failures:
        if failure.matches(case, backend, dtype):
            return failure
    return None
