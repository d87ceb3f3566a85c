"""Command line: ``python -m polychain_conformance --backend NAME [options]``.

Exits with 0 when every cell passes (or fails as expected), 1 when a cell
fails or an expected failure passes, and 2 when the arguments or the devices
cannot be used.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from polychain.backend import BackendUnavailable, Device, get_backend, get_device, list_backends
from polychain_conformance.optimizer_runner import OptimizerSuite, split_case_names
from polychain_conformance.report import Report, format_markdown, format_text, make_header, to_json
from polychain_conformance.runner import ConformanceSuite
from polychain_conformance.spec import DTYPES


def _split(values: Sequence[str] | None) -> list[str]:
    return [part.strip() for value in values or () for part in value.split(',') if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='python -m polychain_conformance',
        description='Checks every function of polychain on the devices of a backend: forward '
                    'against NumPy, gradients against numerical ones, and agreement with a '
                    'reference device.')
    parser.add_argument('--backend', action='append', metavar='NAME',
                        help='backend(s) whose devices are checked (repeat or separate with '
                             'commas); default: every available backend')
    parser.add_argument('--device', action='append', metavar='SPEC',
                        help='device(s) to check, such as @jax:cpu:0 (repeat or separate with '
                             'commas)')
    parser.add_argument('--dtype', action='append', metavar='DTYPE',
                        help=f'dtypes to run, among {",".join(DTYPES)} (default: all)')
    parser.add_argument('--case', action='append', metavar='NAME',
                        help='only these cases (repeat or separate with commas)')
    parser.add_argument('--seed', type=int, default=0, help='base seed (default 0)')
    parser.add_argument('--reference-device', default='@numpy', metavar='SPEC',
                        help='device every other device is compared with (default @numpy)')
    parser.add_argument('--report', type=Path, metavar='PATH.md', help='write Markdown here')
    parser.add_argument('--json', type=Path, metavar='PATH.json', help='write JSON here')
    parser.add_argument('--list-cases', action='store_true',
                        help='print the catalogue and exit')
    return parser


def _devices(backends: list[str], specs: list[str]) -> list[Device]:
    devices: list[Device] = []
    for name in backends:
        devices += get_backend(name).devices()
    devices += [get_device(spec) for spec in specs]
    if not backends and not specs:
        for info in list_backends():
            if info.available:
                devices += [get_device(spec) for spec in info.devices]
    return list(dict.fromkeys(devices))


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the suite as the command line asks; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    suite = ConformanceSuite(seed=args.seed, reference_device=args.reference_device)
    optimizer_suite = OptimizerSuite(seed=args.seed, reference_device=args.reference_device)
    if args.list_cases:
        for variant in suite.variants():
            case = variant.case
            print(f'{variant.id:40} {case.label:28} {",".join(case.dtypes)}')
        for case in optimizer_suite.cases:
            print(f'{case.name:40} {case.label:28} {",".join(case.dtypes)}')
        return 0
    dtypes = _split(args.dtype) or list(DTYPES)
    unknown = sorted(set(dtypes) - set(DTYPES))
    if unknown:
        parser.error(f'--dtype: expected among {",".join(DTYPES)}, received {",".join(unknown)}')
    cases = _split(args.case) or None
    try:
        devices = _devices(_split(args.backend), _split(args.device))
        reference = get_device(args.reference_device)
        function_cases, optimizer_cases = split_case_names(cases)
        cells = suite.run(devices, dtypes, function_cases) + optimizer_suite.run(
            devices, dtypes, optimizer_cases)
    except (ValueError, BackendUnavailable) as error:
        print(f'polychain_conformance: {error}', file=sys.stderr)
        return 2
    report = Report(make_header(devices, reference, dtypes, args.seed, cases), cells)
    print(format_text(report))
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(format_markdown(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(to_json(report), indent=1, default=str) + '\n')
    return 0 if report.ok else 1
