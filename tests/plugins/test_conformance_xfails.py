"""Expected failures kept in a plugin's own TOML file: the format, the CLI's ``--xfails`` and
pytest's ``--conformance-xfails`` / ``conformance_xfails``."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from polychain_conformance import EXPECTED_FAILURES, ExpectedFailure
from polychain_conformance.cli import _named_suites, main
from polychain_conformance.runner import ConformanceSuite
from polychain_conformance.xfails import read_expected_failures

STRICT_XFAILS = (Path(__file__).parents[2] / 'examples' / 'third_party_backend' /
                 'polychain_strict' / 'conformance_xfails.toml')
STRICT_CASES = 'get_item_integer_array_and_slice,radd_array,rmatmul_array'


def _write(directory: Path, text: str, name: str = 'xfails.toml') -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding='utf-8')
    return path


def test_strict_entries_live_in_the_plugin_and_name_existing_cases():
    entries = read_expected_failures(STRICT_XFAILS)
    assert {entry.backend for entry in entries} == {'strict'}
    assert not [f for f in EXPECTED_FAILURES if f.backend == 'strict']
    known = {variant.case.name for variant in ConformanceSuite().variants()}
    known.update(name for suite in _named_suites(0, '@numpy') for name in suite.names)
    assert sorted({entry.case for entry in entries} - known) == []
    assert all(entry.reason for entry in entries)


def test_reads_entries_with_optional_dtype(tmp_path):
    path = _write(tmp_path, '''
        [[expected_failure]]
        case = "tanh"
        backend = "mine"
        reason = "why"

        [[expected_failure]]
        case = "exp"
        backend = "mine"
        dtype = "float16"
        reason = "rounding"
        ''')
    assert read_expected_failures(path) == (
        ExpectedFailure('tanh', 'mine', 'why'), ExpectedFailure('exp', 'mine', 'rounding',
                                                                'float16'))
    assert read_expected_failures(str(path))[1].matches('exp[strided]', 'mine', 'float16')
    assert not read_expected_failures(path)[1].matches('exp', 'mine', 'float32')


@pytest.mark.parametrize('text, message', [
    ('[[expected_failure]]\ncase = "tanh"\nbackend = "mine"\n', "'reason' must be"),
    ('[[expected_failure]]\ncase = "tanh"\nbackend = "mine"\nreason = " "\n', "'reason' must"),
    ('[[expected_failure]]\ncase = "tanh"\nreason = "r"\n', "'backend' must"),
    ('[[expected_failure]]\ncase = "tanh"\nbackend = "m"\nreason = "r"\nwhy = 1\n',
     'unknown keys why'),
    ('[[expected_failure]]\ncase = "tanh"\nbackend = "m"\nreason = "r"\ndtype = "f4"\n',
     'dtype must be one of'),
    ('[expected_failure]\ncase = "tanh"\n', 'double brackets'),
    ('[[xfail]]\ncase = "tanh"\n', 'only \\[\\[expected_failure\\]\\] tables'),
    ('case = ', 'not valid TOML'),
])
def test_rejects_entries_without_what_the_format_requires(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ValueError, match=message) as raised:
        read_expected_failures(path)
    assert str(path) in str(raised.value)


def test_reads_a_file_shipped_inside_a_package():
    pytest.importorskip('polychain_strict')
    assert read_expected_failures('polychain_strict:conformance_xfails.toml') == \
        read_expected_failures(STRICT_XFAILS)


def test_cli_applies_the_file_and_an_unneeded_entry_fails_the_run(tmp_path, capsys):
    path = _write(tmp_path, '''
        [[expected_failure]]
        case = "tanh"
        backend = "numpy"
        dtype = "float32"
        reason = "listed although it passes"
        ''')
    argv = ['--backend', 'numpy', '--case', 'tanh', '--dtype', 'float32']
    assert main(argv) == 0
    assert main([*argv, '--xfails', str(path)]) == 1
    assert 'xpass' in capsys.readouterr().out


def test_cli_refuses_a_file_naming_no_case(tmp_path, capsys):
    path = _write(tmp_path, '''
        [[expected_failure]]
        case = "no_such_case"
        backend = "numpy"
        reason = "r"
        ''')
    assert main(['--backend', 'numpy', '--case', 'tanh', '--xfails', str(path)]) == 2
    assert 'no_such_case' in capsys.readouterr().err
    assert main(['--backend', 'numpy', '--xfails', str(tmp_path / 'missing.toml')]) == 2


def test_cli_on_strict_passes_with_the_plugins_own_file_only():
    pytest.importorskip('polychain_strict')
    argv = ['--backend', 'strict', '--case', STRICT_CASES]
    assert main(argv) == 1
    assert main([*argv, '--xfails', 'polychain_strict:conformance_xfails.toml']) == 0


_PLUGIN_TEST = '''
from polychain_conformance.runner import FAIL, CellResult


def test_cell(conformance_outcome):
    conformance_outcome(CellResult('tanh[strided]', 'F.tanh', '@numpy', 'numpy', 'float32',
                                   FAIL))
'''


@pytest.mark.parametrize('how', ['option', 'ini', 'neither'])
def test_pytest_plugin_applies_the_files(tmp_path, how):
    _write(tmp_path, '''
        [[expected_failure]]
        case = "tanh"
        backend = "numpy"
        reason = "known"
        ''', 'known.toml')
    _write(tmp_path, _PLUGIN_TEST, 'test_cell.py')
    ini = '[pytest]\n' + ('conformance_xfails = known.toml\n' if how == 'ini' else '')
    _write(tmp_path, ini, 'pytest.ini')
    options = ['--conformance-xfails', str(tmp_path / 'known.toml')] if how == 'option' else []
    run = subprocess.run([sys.executable, '-m', 'pytest', '-p', 'no:xdist', '-p',
                          'no:cacheprovider', '-q', *options, 'test_cell.py'],
                         cwd=tmp_path, capture_output=True, text=True)
    expected = '1 failed' if how == 'neither' else '1 xfailed'
    assert expected in run.stdout, run.stdout + run.stderr
