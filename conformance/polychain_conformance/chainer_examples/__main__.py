"""``python -m polychain_conformance.chainer_examples``: Chainer's examples on polychain.

Usage::

    python -m polychain_conformance.chainer_examples --examples PATH/examples \\
        [--device SPEC ...] [--only GLOB ...] [--report PATH.md] [--timeout SECONDS]

Each script runs unchanged in a subprocess with ``import chainer`` resolving to
polychain, on small generated data sets, in a temporary folder. The exit
status is 1 when a script that was run failed or timed out.
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from polychain_conformance.chainer_examples import report
from polychain_conformance.chainer_examples.catalogue import SCRIPTS
from polychain_conformance.chainer_examples.runner import DEFAULT_TIMEOUT_SECONDS, run_all

WHERE_TO_GET = ("Chainer's examples are in Chainer 7.8.1's source tree, under examples:\n"
                '    git clone --depth 1 --branch v7.8.1 https://github.com/chainer/chainer')


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='python -m polychain_conformance.chainer_examples',
        description="Runs Chainer 7.8.1's example scripts unchanged against polychain.",
        epilog=WHERE_TO_GET, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--examples', type=Path, required=True, metavar='PATH',
                        help="Chainer's examples folder")
    parser.add_argument('--device', action='append', metavar='SPEC',
                        help='device to run on (repeatable; default @numpy and @jax:cpu:0)')
    parser.add_argument('--only', action='append', metavar='GLOB',
                        help='run only the scripts whose path matches (repeatable)')
    parser.add_argument('--report', type=Path, metavar='PATH.md',
                        help='write the Markdown table here')
    parser.add_argument('--timeout', type=float, default=DEFAULT_TIMEOUT_SECONDS,
                        metavar='SECONDS', help='time limit of one script')
    parser.add_argument('--keep', type=Path, metavar='DIR',
                        help='run in DIR and keep the outputs (default: a temporary folder)')
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    options = _parser().parse_args(argv)
    if not options.examples.is_dir():
        print(f'--examples: {options.examples} is not a folder.\n' + WHERE_TO_GET,
              file=sys.stderr)
        return 2
    scripts = [script for script in SCRIPTS if not options.only or any(
        fnmatch.fnmatch(script.path, pattern) for pattern in options.only)]
    devices = options.device or ['@numpy', '@jax:cpu:0']
    outcomes = []
    with tempfile.TemporaryDirectory(prefix='chainer-examples-') as temporary:
        scratch = options.keep or Path(temporary)
        for outcome in run_all(options.examples.resolve(), scripts, devices, scratch,
                               options.timeout):
            outcomes.append(outcome)
            print(f'{outcome.status:8} {outcome.seconds:6.1f}s {outcome.device:11} '
                  f'{outcome.script}  {outcome.reason}', flush=True)
    table = report.markdown(outcomes)
    if options.report:
        options.report.write_text(table)
    print(report.summary(outcomes))
    return int(any(outcome.status in ('failed', 'timeout') for outcome in outcomes))


if __name__ == '__main__':
    sys.exit(main())
