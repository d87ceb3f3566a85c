"""Command line: ``python -m polychain_conformance --backend NAME [options]``.

Exits with 0 when every cell passes (or fails as expected), 1 when a cell
fails or an expected failure passes, and 2 when the arguments or the devices
cannot be used.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from polychain.backend import BackendUnavailable, Device, get_backend, get_device, list_backends
from polychain_conformance.bad_inputs import BadInputSuite
from polychain_conformance.case_suite import CaseSuite
from polychain_conformance.link_runner import LinkSuite
from polychain_conformance.model_runner import ModelSuite
from polychain_conformance.optimizer_runner import OptimizerSuite
from polychain_conformance.report import Report, format_text, make_header, write
from polychain_conformance.runner import CellResult, ConformanceSuite
from polychain_conformance.serialization_runner import SerializationSuite
from polychain_conformance.spec import DTYPES
from polychain_conformance.xfails import ExpectedFailure, read_expected_failures


def _split(values: Sequence[str] | None) -> list[str]:
    return [part.strip() for value in values or () for part in value.split(',') if part.strip()]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='python -m polychain_conformance',
        description='Checks every function, link and optimizer of polychain on the devices of '
                    'a backend (forward against NumPy, gradients against numerical ones, '
                    'agreement with a reference device), trains small models and saves and '
                    'loads them across devices.')
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
    parser.add_argument('--xfails', action='append', metavar='FILE', default=[],
                        help='a TOML file of expected failures, [[expected_failure]] tables '
                             'with case, backend, reason and optionally dtype (a path, or '
                             'package:file for one inside an installed package); repeatable')
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


def _named_suites(seed: int, reference: str) -> list[OptimizerSuite | CaseSuite]:
    """The suites whose cases are named (every suite but the function catalogue)."""
    return [OptimizerSuite(seed=seed, reference_device=reference),
            LinkSuite(seed=seed, reference_device=reference),
            ModelSuite(seed=seed, reference_device=reference),
            SerializationSuite(seed=seed, reference_device=reference),
            BadInputSuite(seed=seed, reference_device=reference)]


def _expected_failures(sources: list[str], suite: ConformanceSuite,
                       named_suites: Sequence[OptimizerSuite | CaseSuite]
                       ) -> tuple[ExpectedFailure, ...]:
    """The entries of the ``--xfails`` files; ValueError for one naming no case."""
    known = {variant.case.name for variant in suite.variants()}
    known.update(name for named in named_suites for name in named.names)
    found: tuple[ExpectedFailure, ...] = ()
    for source in sources:
        entries = read_expected_failures(source)
        unknown = sorted({entry.case for entry in entries} - known)
        if unknown:
            raise ValueError(f'{source}: no case is called {", ".join(unknown)} (see '
                             f'--list-cases)')
        found += entries
    return found


def _run_all(suite: ConformanceSuite, named_suites: Sequence[OptimizerSuite | CaseSuite],
             devices: list[Device], dtypes: list[str],
             cases: list[str] | None) -> list[CellResult]:
    """Every suite on ``devices``; ``cases`` names cases of any suite (function cases are
    those no other suite has)."""
    claimed = {name for named in named_suites for name in named.names}
    cells = suite.run(devices, dtypes, None if cases is None else
                      [name for name in cases if name not in claimed])
    for named in named_suites:
        cells += named.run(devices, dtypes, None if cases is None else
                           [name for name in cases if name in named.names])
    return cells


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the suite as the command line asks; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    suite = ConformanceSuite(seed=args.seed, reference_device=args.reference_device)
    named_suites = _named_suites(args.seed, args.reference_device)
    try:
        extra = _expected_failures(args.xfails, suite, named_suites)
    except (OSError, ValueError) as error:
        print(f'polychain_conformance: --xfails: {error}', file=sys.stderr)
        return 2
    for each in (suite, *named_suites):
        each.expected_failures += extra
    if args.list_cases:
        for variant in suite.variants():
            case = variant.case
            print(f'{variant.id:40} {case.label:28} {",".join(case.dtypes)}')
        for named in named_suites:
            for case in named.cases:
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
        cells = _run_all(suite, named_suites, devices, dtypes, cases)
    except (ValueError, BackendUnavailable) as error:
        print(f'polychain_conformance: {error}', file=sys.stderr)
        return 2
    report = Report(make_header(devices, reference, dtypes, args.seed, cases), cells)
    print(format_text(report))
    write(report, args.report, args.json)
    return 0 if report.ok else 1
