"""The package's metadata: one version, the MIT licence file, and py.typed shipped."""

import sys
from importlib import metadata
from pathlib import Path

import pytest

import polychain

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip('tomli')

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    with open(ROOT / 'pyproject.toml', 'rb') as f:
        return tomllib.load(f)


def test_version_matches_the_installed_metadata():
    assert polychain.__version__ == metadata.version('polychain')


def test_version_is_written_once():
    config = _pyproject()
    assert 'version' not in config['project'] and 'version' in config['project']['dynamic']
    assert config['tool']['setuptools']['dynamic']['version'] == {
        'attr': 'polychain._version.__version__'}


def test_py_typed_is_package_data():
    assert (ROOT / 'polychain' / 'py.typed').is_file()
    assert 'py.typed' in _pyproject()['tool']['setuptools']['package-data']['polychain']


def test_licence_is_the_mit_licence_pyproject_names():
    assert _pyproject()['project']['license'] == {'text': 'MIT'}
    text = (ROOT / 'LICENSE').read_text()
    assert text.startswith('MIT License\n') and 'the polychain authors' in text
