"""The backend x case x dtype matrix, as a text table, Markdown and JSON."""

from __future__ import annotations

import dataclasses
import json
import platform
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy

import polychain
from polychain.backend import Device
from polychain_conformance.checks import CheckResult
from polychain_conformance.runner import FAIL, PASS, SKIP, STATUSES, XFAIL, XPASS, CellResult
from polychain_conformance.spec import DEFAULT_TOLERANCES

_SHORT_DTYPES = {'float16': 'f16', 'float32': 'f32', 'float64': 'f64'}
_SHOWN_STATUS = {PASS: 'pass', FAIL: 'FAIL', XFAIL: 'xfail', XPASS: 'XPASS', SKIP: 'skip'}


@dataclass
class Report:
    """The results of one run with what produced them.

    Attributes:
        header: Versions (polychain, NumPy, Python, each backend's ``describe()``)
            and the settings of the run.
        cells: One result per case variant, dtype and device.
    """

    header: dict[str, Any]
    cells: list[CellResult]

    @property
    def ok(self) -> bool:
        """No cell failed and no expected failure passed."""
        return not any(c.status in (FAIL, XPASS) for c in self.cells)


def make_header(devices: Sequence[Device], reference_device: Device | None,
                dtypes: Sequence[str], seed: int, cases: Sequence[str] | None) -> dict[str, Any]:
    """Versions and settings, as the report starts with them."""
    backends = {}
    for device in list(devices) + ([reference_device] if reference_device else []):
        backends.setdefault(device.backend.name, device.backend.describe())
    return {
        'versions': {'polychain': polychain.__version__, 'numpy': numpy.__version__,
                     'python': platform.python_version(), 'platform': platform.platform()},
        'backends': backends,
        'settings': {
            'devices': [str(d) for d in devices],
            'reference_device': str(reference_device) if reference_device else None,
            'dtypes': list(dtypes),
            'seed': seed,
            'cases': list(cases) if cases else 'all',
            'default_tolerances': {k: dataclasses.asdict(v)
                                   for k, v in DEFAULT_TOLERANCES.items()},
        },
    }


def summary(cells: Sequence[CellResult]) -> dict[str, dict[str, int]]:
    """Counts of each status per device."""
    counts: dict[str, Counter] = {}
    for cell in cells:
        counts.setdefault(cell.device, Counter())[cell.status] += 1
    return {device: {s: c[s] for s in STATUSES} for device, c in counts.items()}


def _columns(cells: Sequence[CellResult]) -> list[tuple[str, str]]:
    devices = list(dict.fromkeys(c.device for c in cells))
    dtypes = [d for d in _SHORT_DTYPES if any(c.dtype == d for c in cells)]
    return [(device, dtype) for device in devices for dtype in dtypes]


def matrix(cells: Sequence[CellResult]) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the matrix: one row per case, one column per device and dtype."""
    columns = _columns(cells)
    by_key = {(c.case, c.device, c.dtype): c for c in cells}
    functions = dict((c.case, c.function) for c in cells)
    header = ['case', 'function'] + [f'{d} {_SHORT_DTYPES[t]}' for d, t in columns]
    rows = []
    for case, function in functions.items():
        row = [case, function]
        for device, dtype in columns:
            cell = by_key.get((case, device, dtype))
            row.append('' if cell is None else _SHOWN_STATUS[cell.status])
        rows.append(row)
    return header, rows


def _problem_lines(cells: Sequence[CellResult], statuses: Sequence[str]) -> list[str]:
    lines = []
    for cell in cells:
        if cell.status not in statuses:
            continue
        where = f'{cell.case} ({cell.function}) on {cell.device} in {cell.dtype}, seed {cell.seed}'
        if cell.status == XPASS:
            lines.append(f'{where}: passed but is listed as an expected failure ({cell.reason})')
            continue
        expected = f' (expected: {cell.reason})' if cell.status == XFAIL else ''
        for check in cell.failed_checks:
            lines.append(f'{where}: {check.name}: {_errors(check)}{check.message}{expected}')
    return lines


def _errors(check: Any) -> str:
    if check.max_abs_error is None:
        return ''
    return (f'[max abs error {check.max_abs_error:.3g}, max rel error '
            f'{check.max_rel_error:.3g}, atol {check.atol:g}, rtol {check.rtol:g}] ')


def _skip_groups(cells: Sequence[CellResult]) -> dict[tuple[str, str], list[str]]:
    groups: dict[tuple[str, str], list[str]] = {}
    for cell in cells:
        if cell.status == SKIP:
            groups.setdefault((cell.device, cell.reason), []).append(f'{cell.case} {cell.dtype}')
    return groups


def format_text(report: Report) -> str:
    """The report as plain text for a terminal."""
    versions = report.header['versions']
    settings = report.header['settings']
    lines = [f'polychain {versions["polychain"]}, numpy {versions["numpy"]}, '
             f'python {versions["python"]}']
    lines += [f'backend {name}: {text}' for name, text in report.header['backends'].items()]
    lines.append(f'devices {", ".join(settings["devices"])}; reference '
                 f'{settings["reference_device"]}; dtypes {", ".join(settings["dtypes"])}; '
                 f'seed {settings["seed"]}')
    header, rows = matrix(report.cells)
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines.append('')
    for row in [header] + rows:
        lines.append('  '.join(text.ljust(w) for text, w in zip(row, widths)).rstrip())
    for title, statuses in (('failures', (FAIL,)), ('unexpected passes', (XPASS,))):
        problems = _problem_lines(report.cells, statuses)
        if problems:
            lines += ['', f'{title}:'] + [f'  {p}' for p in problems]
    for (device, reason), cases in _skip_groups(report.cells).items():
        lines.append(f'skipped on {device} ({len(cases)} cells): {reason}')
    lines.append('')
    for device, counts in summary(report.cells).items():
        lines.append(f'{device}: ' + ', '.join(f'{counts[s]} {s}' for s in STATUSES))
    return '\n'.join(lines)


def _markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    lines += ['| ' + ' | '.join(str(x) for x in row) + ' |' for row in rows]
    return lines


def format_markdown(report: Report) -> str:
    """The report as a Markdown document."""
    header = report.header
    settings = header['settings']
    lines = ['# polychain conformance report', '', '## Versions', '']
    lines += _markdown_table(['component', 'version'], list(header['versions'].items()) +
                             [(f'backend `{k}`', v) for k, v in header['backends'].items()])
    lines += ['', '## Settings', '']
    lines += _markdown_table(['setting', 'value'], [
        ('devices', ', '.join(f'`{d}`' for d in settings['devices'])),
        ('reference device', f'`{settings["reference_device"]}`'),
        ('dtypes', ', '.join(settings['dtypes'])),
        ('seed', settings['seed']),
        ('cases', settings['cases'] if isinstance(settings['cases'], str)
         else ', '.join(settings['cases']))])
    lines += ['', 'Default tolerances (cases may override them):', '']
    lines += _markdown_table(['dtype', 'forward atol', 'forward rtol', 'backward atol',
                              'backward rtol', 'eps'],
                             [[k] + list(v.values())
                              for k, v in settings['default_tolerances'].items()])
    lines += ['', '## Summary', '']
    lines += _markdown_table(['device'] + list(STATUSES),
                             [[d] + [c[s] for s in STATUSES]
                              for d, c in summary(report.cells).items()])
    lines += ['', '## Matrix', '']
    lines += _markdown_table(*matrix(report.cells))
    for title, statuses in (('Failures', (FAIL,)), ('Unexpected passes', (XPASS,)),
                            ('Expected failures', (XFAIL,))):
        problems = _problem_lines(report.cells, statuses)
        if problems:
            lines += ['', f'## {title}', ''] + [f'- {p}' for p in problems]
    groups = _skip_groups(report.cells)
    if groups:
        lines += ['', '## Skipped', '']
        lines += [f'- `{device}`, {len(cases)} cells: {reason}'
                  for (device, reason), cases in groups.items()]
    return '\n'.join(lines) + '\n'


def cell_to_json(cell: CellResult) -> dict[str, Any]:
    """One cell as JSON-ready data, with its checks (without its host values)."""
    data = {f.name: getattr(cell, f.name) for f in dataclasses.fields(cell)
            if f.name not in ('checks', 'values')}
    data['checks'] = [dataclasses.asdict(check) for check in cell.checks]
    return data


def cell_from_json(data: dict[str, Any]) -> CellResult:
    """The cell :func:`cell_to_json` gave ``data`` for."""
    fields = dict(data)
    checks = [CheckResult(**check) for check in fields.pop('checks')]
    return CellResult(**fields, checks=checks)


def to_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: header, summary and every cell with its checks."""
    return {'header': report.header, 'summary': summary(report.cells),
            'cells': [cell_to_json(cell) for cell in report.cells]}


def write(report: Report, markdown: Path | None = None, json_path: Path | None = None) -> None:
    """Writes the report as Markdown and/or JSON, creating the folders."""
    for path, text in ((markdown, format_markdown), (json_path, _json_text)):
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text(report))


def _json_text(report: Report) -> str:
    return json.dumps(to_json(report), indent=1, default=str) + '\n'
