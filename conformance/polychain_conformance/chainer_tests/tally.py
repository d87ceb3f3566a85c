"""Counts of Chainer's tests by folder and device, and their Markdown report."""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

#: Outcomes in report order; a later phase's outcome replaces an earlier one of lower rank.
OUTCOMES = ('passed', 'failed', 'errors', 'skipped', 'xfailed', 'xpassed')
_RANK = {'passed': 0, 'skipped': 1, 'xfailed': 2, 'xpassed': 2, 'failed': 3, 'errors': 4}
BASE_DEVICE = '@numpy'


def device_tag(spec: str) -> str:
    """The part of generated class names that names a device (``'@jax:cpu:0'`` -> ``jax_cpu_0``)."""
    return spec.lstrip('@').replace(':', '_').replace('.', '_').lower()


def outcome_of(report: Any) -> str | None:
    """The outcome a test report stands for, or ``None`` for a passed setup or teardown."""
    if hasattr(report, 'wasxfail'):
        return 'xpassed' if report.passed else 'xfailed'
    if report.skipped:
        return 'skipped'
    if report.failed:
        return 'failed' if report.when == 'call' else 'errors'
    return 'passed' if report.when == 'call' else None


class Tally:
    """Outcomes of Chainer's tests, by device and folder."""

    def __init__(self, extra_devices: Iterable[str] = ()) -> None:
        self.devices = [BASE_DEVICE, *extra_devices]
        self._tags = {spec: '_' + device_tag(spec) for spec in self.devices[1:]}
        self._outcomes: dict[str, str] = {}
        self._deselected: list[str] = []
        self._collection_errors: dict[str, str | None] = {}

    def device_of(self, test_id: str) -> str:
        classes = test_id.split('::')[1:-1]
        for spec, tag in self._tags.items():
            if any(tag in name for name in classes):
                return spec
        return BASE_DEVICE

    def add_report(self, report: Any) -> None:
        outcome = outcome_of(report)
        if outcome is None:
            return
        previous = self._outcomes.get(report.nodeid)
        if previous is None or _RANK[outcome] >= _RANK[previous]:
            self._outcomes[report.nodeid] = outcome

    def add_deselected(self, test_ids: Iterable[str]) -> None:
        self._deselected += test_ids

    def set_deselected(self, test_ids: list[str]) -> None:
        self._deselected = list(test_ids)

    def deselected_ids(self) -> list[str]:
        return list(self._deselected)

    def add_collection_error(self, path: str, expected_reason: str | None = None) -> None:
        """A test file that did not import; ``expected_reason`` when the failure was expected."""
        self._collection_errors[path] = expected_reason

    def rows(self, device: str) -> dict[str, Counter[str]]:
        """Counts per folder for ``device``: the outcomes, ``deselected`` and ``collected``."""
        rows: dict[str, Counter[str]] = defaultdict(Counter)
        for test_id, outcome in self._outcomes.items():
            if self.device_of(test_id) == device:
                rows[_folder(test_id)][outcome] += 1
        for test_id in self._deselected:
            if self.device_of(test_id) == device:
                rows[_folder(test_id)]['deselected'] += 1
        if device == BASE_DEVICE:
            for path, reason in self._collection_errors.items():
                rows[_folder(path)]['not collected' if reason is None else
                                   'not collected, expected'] += 1
        for counts in rows.values():
            counts['collected'] = sum(counts[key] for key in (*OUTCOMES, 'deselected'))
        return dict(sorted(rows.items()))

    def summary_lines(self) -> list[str]:
        lines = []
        for device in self.devices:
            total = _total(self.rows(device).values())
            lines.append(f'chainer tests on {device}: ' + ', '.join(
                f'{total[key]} {key}' for key in _COLUMNS if total[key]) +
                f' ({_pass_rate(total)} of those run pass)')
        return lines

    def markdown(self) -> str:
        parts = ["# Chainer's tests on polychain", '']
        parts += ['Pass rate: passed (and unexpectedly passed) over the tests that ran '
                  '(neither deselected nor skipped).', '']
        for device in self.devices:
            rows = self.rows(device)
            parts += [f'## {device}', '', '| folder | ' + ' | '.join(_COLUMNS) + ' | pass rate |',
                      '|---' * (len(_COLUMNS) + 2) + '|']
            for folder, counts in [*rows.items(), ('**total**', _total(rows.values()))]:
                parts.append(f'| {folder} | ' + ' | '.join(str(counts[key]) for key in _COLUMNS)
                             + f' | {_pass_rate(counts)} |')
            parts.append('')
        if self._collection_errors:
            parts += ['## Files not collected', '']
            parts += [f'- {path}' + (f': expected, {reason}' if reason else '')
                      for path, reason in sorted(self._collection_errors.items())]
            parts.append('')
        return '\n'.join(parts)


_COLUMNS = ('collected', 'deselected', *OUTCOMES, 'not collected',
            'not collected, expected')


def _folder(test_id: str) -> str:
    return posixpath.dirname(test_id.split('::')[0]) or '.'


def _total(rows: Iterable[Counter[str]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for counts in rows:
        total.update(counts)
    return total


def _pass_rate(counts: Counter[str]) -> str:
    ran = sum(counts[key] for key in ('passed', 'failed', 'errors', 'xfailed', 'xpassed'))
    if not ran:
        return '-'
    return f'{100 * (counts["passed"] + counts["xpassed"]) / ran:.1f} %'
