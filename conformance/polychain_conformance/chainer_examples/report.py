"""The Markdown table of example outcomes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from polychain_conformance.chainer_examples.runner import Outcome


def summary(outcomes: Sequence[Outcome]) -> str:
    """``N passed, N failed, N xfail, N timeout, N skipped`` over all runs."""
    counts = Counter(outcome.status for outcome in outcomes)
    return ', '.join(f'{counts[status]} {status}'
                     for status in ('passed', 'failed', 'xfail', 'timeout', 'skipped'))


def _cell(text: str) -> str:
    return text.replace('|', '\\|').replace('\n', ' ')


def markdown(outcomes: Sequence[Outcome]) -> str:
    """A table with one row per (script, device) run, and the summary line."""
    rows = ['| script | device | status | seconds | reason |', '| --- | --- | --- | ---: | --- |']
    rows += [f'| {outcome.script} | {outcome.device} | {outcome.status} | '
             f'{outcome.seconds:.1f} | {_cell(outcome.reason)} |' for outcome in outcomes]
    return '\n'.join(['# Chainer examples on polychain', '', *rows, '', summary(outcomes), ''])
