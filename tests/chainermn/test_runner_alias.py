"""The Chainer test runner's ``chainermn`` alias and its ``chainermn_tests`` folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from polychain_conformance.chainer_tests.__main__ import suite_root

from . import mpi_launch


def test_suite_root_takes_chainermn_tests(tmp_path):
    folder = tmp_path / 'tests' / 'chainermn_tests' / 'communicator_tests'
    folder.mkdir(parents=True)
    assert suite_root(folder) == (tmp_path / 'tests' / 'chainermn_tests').resolve()
    with pytest.raises(ValueError, match='expected the chainer_tests folder'):
        suite_root(tmp_path)


@pytest.mark.skipif(mpi_launch.missing() is not None, reason=str(mpi_launch.missing()))
def test_import_chainermn_gives_polychain_chainermn():
    code = ('from polychain_conformance.chainer_tests import alias; alias.install(); '
            'import chainermn, polychain.chainermn, chainermn.communicators as c, '
            'polychain.chainermn.communicators as p; '
            'assert chainermn is polychain.chainermn and c is p; '
            'import chainer, polychain; assert chainer.chainermn is polychain.chainermn; '
            'print("ok")')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                            cwd=str(Path(__file__).parent))
    assert result.returncode == 0 and 'ok' in result.stdout, result.stderr


def test_without_mpi4py_the_import_error_says_what_to_install():
    code = ('import sys; sys.modules["mpi4py"] = None\n'
            'import polychain.chainermn\n'
            'try:\n    polychain.chainermn.create_communicator("naive")\n'
            'except ImportError as error:\n    print(error)\n')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert "pip install 'polychain[mpi]'" in result.stdout, result.stdout + result.stderr
