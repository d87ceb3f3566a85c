"""``python -m polychain_conformance.chainer_tests`` on a small suite written in Chainer's style."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from polychain.backend import BackendUnavailable, get_device

TEST_FILE = '''
import unittest

import numpy
import pytest

import chainer
import chainer.functions as F
from chainer import testing
from chainer.testing import attr


@testing.inject_backend_tests(None, [{}, {'use_cuda': True}])
class TestExp(unittest.TestCase):

    def test_exp_of_zeros_is_one(self, backend_config):
        x = chainer.Variable(backend_config.get_array(numpy.zeros(3, 'f')))
        assert float(F.sum(F.exp(x)).array) == 3.0

    def test_known_to_fail(self, backend_config):
        assert False, 'listed in the expected-failure file'


class TestPlain(unittest.TestCase):

    def test_unexpected_failure(self):
        assert chainer.functions is None

    @attr.gpu
    def test_needs_a_gpu(self):
        raise AssertionError('deselected: never runs')

    @pytest.mark.skip(reason='skipped by the test itself')
    def test_skipped(self):
        pass


testing.run_module(__name__, __file__)
'''


@pytest.fixture
def suite(tmp_path):
    """A ``chainer_tests`` folder with one test file, and an expected-failure file."""
    root = tmp_path / 'chainer_tests'
    (root / 'math_tests').mkdir(parents=True)
    (root / '__init__.py').write_text('')
    (root / 'conftest.py').write_text('import chainerx\nassert not chainerx.is_available()\n')
    (root / 'math_tests' / '__init__.py').write_text('')
    (root / 'math_tests' / 'test_exp.py').write_text(TEST_FILE)
    (root / 'math_tests' / 'test_caffe.py').write_text('import caffe_is_not_here\n')
    expected = tmp_path / 'expected.txt'
    expected.write_text('chainer_tests/math_tests/test_exp.py::TestExp_*::test_known_to_fail'
                        '  # a test failing on purpose\n'
                        'chainer_tests/math_tests/test_caffe.py  # needs Caffe\n')
    return root, expected


def _run(*arguments, cwd):
    return subprocess.run([sys.executable, '-m', 'polychain_conformance.chainer_tests',
                           *arguments, '-p', 'no:xdist'],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def test_the_report_counts_each_outcome(suite, tmp_path):
    root, expected = suite
    report = tmp_path / 'report.md'
    result = _run('--tests', str(root), '--report', str(report),
                  '--expected-failures', str(expected), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    # collected, deselected, passed, failed, errors, skipped, xfailed, xpassed,
    # not collected, not collected as expected
    assert '| chainer_tests/math_tests | 7 | 3 | 1 | 1 | 0 | 1 | 1 | 0 | 0 | 1 | 33.3 % |' \
        in report.read_text(), report.read_text()
    assert '- chainer_tests/math_tests/test_caffe.py: expected, needs Caffe' in report.read_text()
    assert 'chainer tests on @numpy: 7 collected, 3 deselected, 1 passed, 1 failed' \
        in result.stdout


def test_an_added_device_gets_its_own_table(suite, tmp_path):
    try:
        get_device('@jax:cpu:0')
    except (ValueError, BackendUnavailable) as error:
        pytest.skip(f'@jax:cpu:0 is not usable here: {error}')
    root, expected = suite
    report = tmp_path / 'report.md'
    _run('--tests', str(root), '--report', str(report), '--expected-failures', str(expected),
         '--device', '@jax:cpu:0', cwd=tmp_path)
    jax_table = report.read_text().split('## @jax:cpu:0')[1]
    assert '| chainer_tests/math_tests | 2 | 0 | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 50.0 % |' \
        in jax_table, report.read_text()


def test_without_a_path_it_says_where_to_get_the_tests(tmp_path):
    result = _run(cwd=tmp_path)
    assert result.returncode == 2
    assert 'tests/chainer_tests' in result.stderr and 'v7.8.1' in result.stderr


def test_a_file_that_does_not_import_fails_the_run(suite, tmp_path):
    root, expected = suite
    (root / 'math_tests' / 'test_exp.py').unlink()
    (root / 'math_tests' / 'test_other.py').write_text('import not_listed_anywhere\n')
    result = _run('--tests', str(root), '--expected-failures', str(expected), cwd=tmp_path)
    assert result.returncode != 0
    assert 'not_listed_anywhere' in result.stdout


def test_a_path_outside_a_chainer_tests_folder_is_refused(tmp_path):
    result = _run('--tests', str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert 'expected the chainer_tests folder' in result.stderr


def test_the_alias_does_not_outlive_the_run():
    code = textwrap.dedent('''
        import importlib.util, polychain_conformance.chainer_tests.__main__ as m
        print(importlib.util.find_spec('chainer') is None)
    ''')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert result.stdout.strip() == 'True', result.stderr


def test_numpy_1_names_are_given_back_in_the_run_only():
    code = textwrap.dedent('''
        import numpy
        had = hasattr(numpy, 'product')
        from polychain_conformance.chainer_tests import numpy_aliases
        numpy_aliases.restore()
        print(had, numpy.product([2, 3]), numpy.complex_ is numpy.complex128)
    ''')
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert result.stdout.split() == ['False', '6', 'True'], result.stderr


LEAKING_SETUP = '''
import unittest

import numpy

import chainer


class TestA_LeavesFloat64On(unittest.TestCase):

    def setUp(self):
        self.config_user = chainer.using_config('dtype', numpy.float64)
        self.config_user.__enter__()
        raise RuntimeError('setUp fails before tearDown could leave the block')

    def tearDown(self):
        self.config_user.__exit__(None, None, None)

    def test_anything(self):
        pass


class TestB_SeesTheDefault(unittest.TestCase):

    def test_dtype_is_float32(self):
        assert chainer.config.dtype == numpy.float32
'''


def test_a_test_that_leaves_a_setting_on_does_not_change_the_next(tmp_path):
    root = tmp_path / 'chainer_tests'
    root.mkdir()
    (root / '__init__.py').write_text('')
    (root / 'test_leak.py').write_text(LEAKING_SETUP)
    result = _run('--tests', str(root), '-q', cwd=tmp_path)
    assert '1 failed, 1 passed' in result.stdout, result.stdout + result.stderr
    assert 'FAILED chainer_tests/test_leak.py::TestA_LeavesFloat64On' in result.stdout
