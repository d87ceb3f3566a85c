"""``python -m polychain_conformance.chainer_tests``: Chainer's own tests against polychain.

Usage::

    python -m polychain_conformance.chainer_tests --tests PATH/chainer_tests \\
        [--device SPEC] [--report PATH.md] [--expected-failures PATH] [pytest args]

``--tests`` may be repeated to run several files or folders of one suite.

``import chainer`` resolves to polychain for the run only. Tests marked for
CUDA, cuDNN, ChainerX, iDeep or Theano are deselected; ``--device`` adds a
polychain device (``@jax:cpu:0``) to every ``inject_backend_tests``. The exit
status is pytest's.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from polychain_conformance.chainer_tests.expectations import DEFAULT_PATH

WHERE_TO_GET = (
    "Chainer's tests are in Chainer 7.8.1's source tree, under tests/chainer_tests:\n"
    '    git clone --depth 1 --branch v7.8.1 https://github.com/chainer/chainer\n'
    '    python -m polychain_conformance.chainer_tests --tests chainer/tests/chainer_tests\n'
    'They need pytest, six and mock (pip install "polychain-conformance[chainer-tests]").')


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog='python -m polychain_conformance.chainer_tests',
        description="Runs Chainer 7.8.1's unit tests against polychain and writes a per-folder "
                    'report. Arguments it does not know go to pytest.',
        epilog=WHERE_TO_GET, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--tests', type=Path, action='append', metavar='PATH',
                        help="Chainer's chainer_tests folder, or a file or folder inside it "
                             '(repeatable)')
    parser.add_argument('--device', action='append', default=[], metavar='SPEC',
                        help='a device added to every inject_backend_tests (repeatable)')
    parser.add_argument('--report', type=Path, metavar='PATH.md',
                        help='write the per-folder Markdown table here')
    parser.add_argument('--expected-failures', type=Path, default=DEFAULT_PATH, metavar='PATH',
                        help='expected-failure file (default: the one shipped with the runner)')
    return parser


#: The test folders of Chainer 7.8.1's tree the runner takes (ChainerMN's run under mpiexec).
SUITES = ('chainer_tests', 'chainermn_tests')


def suite_root(path: Path) -> Path:
    """The ``chainer_tests`` (or ``chainermn_tests``) folder that holds ``path``.

    Raises:
        ValueError: ``path`` is not inside such a folder.
    """
    path = path.resolve()
    for candidate in (path, *path.parents):
        if candidate.name in SUITES:
            return candidate
    raise ValueError(f'--tests: expected the chainer_tests folder of Chainer 7.8.1 (or its '
                     f'chainermn_tests) or a path inside it, received {str(path)!r}')


def pytest_arguments(options: argparse.Namespace, extra: Sequence[str]) -> list[str]:
    """pytest's command line for ``options`` and the pass-through arguments ``extra``."""
    roots = {suite_root(path) for path in options.tests}
    if len(roots) > 1:
        raise ValueError(f'--tests: expected paths inside one chainer_tests folder, received '
                         f'paths inside {sorted(map(str, roots))}')
    top = roots.pop().parent
    arguments = ['-c', str(Path(__file__).with_name('pytest.ini')), '--rootdir', str(top),
                 '--confcutdir', str(top), '-p', 'no:cacheprovider',
                 '--continue-on-collection-errors',
                 '-p', 'polychain_conformance.chainer_tests.plugin',
                 '--chainer-expected-failures', str(options.expected_failures)]
    for spec in options.device:
        arguments.append(f'--chainer-device={spec}')  # pytest reads @file arguments
    if options.report:
        arguments += ['--chainer-report', str(options.report)]
    return [*arguments, *extra, *(str(path.resolve()) for path in options.tests)]


def main(argv: Sequence[str] | None = None) -> int:
    options, extra = _parser().parse_known_args(argv)
    if options.tests is None:
        print('--tests PATH is required.\n' + WHERE_TO_GET, file=sys.stderr)
        return 2
    missing = [str(path) for path in options.tests if not path.exists()]
    if missing:
        print(f'--tests: {", ".join(missing)} does not exist.\n' + WHERE_TO_GET, file=sys.stderr)
        return 2
    try:
        arguments = pytest_arguments(options, extra)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    import pytest
    sys.dont_write_bytecode = True  # the tests may sit in a read-only tree
    return int(pytest.main(arguments))


if __name__ == '__main__':
    sys.exit(main())
