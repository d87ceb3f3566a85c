"""The expected-failure file: which of Chainer's tests fail on polychain, and why.

One entry a line, ``PATTERN  # reason``: the pattern is a test id relative to
the folder above ``chainer_tests`` in which only ``*`` is special (it matches
any text, ``::`` and ``[...]`` included). Blank lines and lines starting with
``#`` are comments. Every entry needs a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

#: The file shipped with the runner.
DEFAULT_PATH = Path(__file__).with_name('expected_failures.txt')


@dataclass(frozen=True)
class Expectation:
    """One entry: the test ids it covers and why they fail."""

    pattern: str
    reason: str
    line: int

    def matches(self, test_id: str) -> bool:
        return _compile(self.pattern).fullmatch(test_id) is not None


_cache: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    if pattern not in _cache:
        _cache[pattern] = re.compile('.*'.join(re.escape(part) for part in pattern.split('*')))
    return _cache[pattern]


def read(path: Path) -> list[Expectation]:
    """The entries of ``path``.

    Raises:
        ValueError: An entry has no reason (``PATTERN  # reason``).
    """
    entries = []
    for number, raw in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        pattern, separator, reason = line.partition(' # ')
        if not separator or not reason.strip():
            raise ValueError(f'{path}:{number}: expected "PATTERN  # reason", received {raw!r}')
        entries.append(Expectation(pattern.strip(), reason.strip(), number))
    return entries


class Expectations:
    """The entries of one file, looked up by test id (the first match wins)."""

    def __init__(self, entries: list[Expectation]) -> None:
        self.entries = entries
        self._by_file: dict[str, list[Expectation]] = {}
        for entry in entries:
            self._by_file.setdefault(entry.pattern.split('::')[0], []).append(entry)

    def reason(self, test_id: str) -> str | None:
        """Why ``test_id`` is expected to fail, or ``None`` when it should pass."""
        candidates = self._by_file.get(test_id.split('::')[0], [])
        wildcard = [entry for key, group in self._by_file.items() if '*' in key
                    for entry in group]
        for entry in candidates + wildcard:
            if entry.matches(test_id):
                return entry.reason
        return None
