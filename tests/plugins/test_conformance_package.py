"""The conformance suite is a package of its own: its wheel, built offline, declares its
dependencies, entry points and data files, and runs from outside the checkout."""

from __future__ import annotations

import email.parser
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DATA_FILES = ('polychain_conformance/chainer_tests/pytest.ini',
              'polychain_conformance/chainer_tests/expected_failures.txt',
              'polychain_conformance/chainer_tests/standin/chainerx/__init__.py',
              'polychain_conformance/chainer_examples/site/sitecustomize.py')


@pytest.fixture(scope='module')
def wheel(tmp_path_factory) -> Path:
    """The conformance package's wheel, built without the network (--no-index) and with
    this environment's setuptools (--no-build-isolation)."""
    out = tmp_path_factory.mktemp('wheelhouse')
    run = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-index',
                          '--no-build-isolation', '--wheel-dir', str(out),
                          str(ROOT / 'conformance')], capture_output=True, text=True,
                         env=dict(os.environ, PIP_NO_INDEX='1', PIP_FIND_LINKS=''))
    assert run.returncode == 0, run.stdout + run.stderr
    [built] = out.glob('polychain_conformance-*.whl')
    return built


def _metadata(wheel: Path, name: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        [path] = [n for n in archive.namelist() if n.endswith(f'.dist-info/{name}')]
        return archive.read(path).decode()


def test_wheel_declares_dependencies_and_entry_points(wheel):
    metadata = email.parser.Parser().parsestr(_metadata(wheel, 'METADATA'))
    assert metadata['Name'] == 'polychain-conformance'
    requires = metadata.get_all('Requires-Dist')
    assert 'polychain' in requires and 'numpy>=2' in requires
    assert any(r.startswith('tomli') and "python_version < \"3.11\"" in r for r in requires)
    entry_points = _metadata(wheel, 'entry_points.txt')
    assert 'polychain_conformance = polychain_conformance.pytest_plugin' in entry_points
    assert 'polychain-conformance = polychain_conformance.cli:main' in entry_points


def test_wheel_holds_every_module_and_data_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    source = ROOT / 'conformance'
    modules = {str(p.relative_to(source)) for p in source.glob('polychain_conformance/**/*.py')}
    assert sorted(modules - names) == []
    assert sorted(set(DATA_FILES) - names) == []


def test_wheel_runs_from_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / 'site'
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    code = ('import importlib.resources, sys, polychain_conformance\n'
            'print(polychain_conformance.__file__)\n'
            'files = importlib.resources.files("polychain_conformance")\n'
            'print(files.joinpath("chainer_tests", "expected_failures.txt").is_file())\n'
            'from polychain_conformance.cli import main\n'
            'sys.exit(main(["--backend", "numpy", "--case", "tanh", "--dtype", "float32"]))\n')
    run = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=str(site)))
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert Path(lines[0]).is_relative_to(site) and lines[1] == 'True'
    assert '@numpy: 2 pass, 0 fail' in run.stdout
