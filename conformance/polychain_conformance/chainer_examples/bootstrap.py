"""``python -m polychain_conformance.chainer_examples.bootstrap SCRIPT [ARGS]``.

Runs one of Chainer's example scripts as ``__main__`` with ``import chainer``
resolving to polychain and the stand-in ``chainerx`` importable. The script's
own folder comes first on ``sys.path``, as when Python runs it directly, and
``sys.argv`` is the script's command line. Processes the script starts
(the workers of ``MultiprocessIterator``) get the same alias through the
``sitecustomize`` module of ``site/``, which the bootstrap puts on ``PYTHONPATH``.
In both, ``urllib`` reaches no network: it serves the generated files of the
fixtures' download table and refuses other URLs (:mod:`.network`).
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Sequence
from pathlib import Path

import polychain_conformance.chainer_tests as chainer_tests
from polychain_conformance.chainer_examples import network
from polychain_conformance.chainer_tests import alias

#: The ``chainerx`` of an installation without ChainerX (shared with the test runner).
STANDIN = str(Path(chainer_tests.__file__).with_name('standin'))
#: The folder of the ``sitecustomize`` that calls :func:`install` in child processes.
SITE = str(Path(__file__).with_name('site'))


def install() -> None:
    """Makes ``chainer`` resolve to polychain, the stand-in ``chainerx`` importable, and
    ``urllib`` serve the fixtures' downloads instead of the network."""
    alias.install()
    network.install()
    if STANDIN not in sys.path:
        sys.path.insert(0, STANDIN)


def run_script(script: str, arguments: Sequence[str]) -> None:
    """Runs ``script`` with ``arguments`` in this process, ``chainer`` aliased to polychain."""
    install()
    paths = os.environ.get('PYTHONPATH', '').split(os.pathsep)
    os.environ['PYTHONPATH'] = os.pathsep.join([SITE, *filter(None, paths)])
    script = os.path.abspath(script)
    sys.path.insert(0, os.path.dirname(script))
    sys.argv = [script, *arguments]
    runpy.run_path(script, run_name='__main__')


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        print('usage: python -m polychain_conformance.chainer_examples.bootstrap SCRIPT [ARGS]',
              file=sys.stderr)
        return 2
    run_script(argv[0], argv[1:])
    return 0


if __name__ == '__main__':
    sys.exit(main())
