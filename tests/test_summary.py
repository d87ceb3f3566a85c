"""The end of a test run: skipped and xfailed tests counted by reason, not one line each;
third-party warnings that are noise filtered narrowly."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

CONFTEST = Path(__file__).with_name('conftest.py')

TESTS = """
import pytest

@pytest.mark.parametrize('i', range(3))
def test_often(i):
    pytest.skip('the same reason')

@pytest.mark.skip(reason='another reason')
def test_once():
    pass

def test_expected():
    pytest.xfail('known to fail')

def test_passes():
    pass
"""


@pytest.fixture
def run(pytester: pytest.Pytester):
    pytester.makeconftest(CONFTEST.read_text())
    pytester.makepyfile(test_generated=TESTS)

    def run(*args: str) -> pytest.RunResult:
        return pytester.runpytest('-p', 'no:xdist', '-p', 'no:cacheprovider', *args)
    return run


def test_skips_are_counted_by_reason(run) -> None:
    result = run('-rfEX')
    result.assert_outcomes(passed=1, skipped=4, xfailed=1)
    result.stdout.fnmatch_lines([
        '*4 skipped, by reason (-rs lists each test)*',
        '     3  the same reason',
        '     1  another reason',
        '*1 xfailed, by reason (-rx lists each test)*',
        '     1  known to fail',
    ])
    result.stdout.no_fnmatch_line('SKIPPED *')


def test_asking_for_each_skip_lists_them_instead(run) -> None:
    result = run('-rs')
    result.stdout.fnmatch_lines(['SKIPPED [[]3[]] *: the same reason'])
    result.stdout.no_fnmatch_line('*skipped, by reason*')


def test_the_default_options_give_the_short_summary(pytestconfig: pytest.Config) -> None:
    addopts = pytestconfig.getini('addopts')
    assert '-ra' not in addopts and '-rfEX' in addopts


def test_the_default_options_leave_out_the_slow_tests(pytestconfig: pytest.Config) -> None:
    addopts = pytestconfig.getini('addopts')
    assert addopts[addopts.index('-m') + 1] == 'not slow'


def test_tests_of_chainers_example_scripts_are_slow(request: pytest.FixtureRequest) -> None:
    # Every worker collects the whole run: its items are the tests this run selected.
    scripts = [item for item in request.session.items if 'run_examples' in item.fixturenames]
    assert all(item.get_closest_marker('slow') for item in scripts)
    if request.config.option.markexpr == 'not slow':
        assert scripts == []


def test_no_tests_still_fail(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(CONFTEST.read_text())
    result = pytester.runpytest('-p', 'no:xdist', '-p', 'no:cacheprovider', '-rfEX')
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


@pytest.mark.parametrize(('message', 'module'), [
    ('os.fork() was called. os.fork() is incompatible with multithreaded code, and JAX is '
     'multithreaded, so this will likely lead to a deadlock.', 'multiprocessing.popen_fork'),
    ('overflow encountered in exp', 'scipy.stats._continuous_distns'),
])
def test_known_third_party_warnings_are_filtered(message: str, module: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.warn_explicit(message, RuntimeWarning, 'elsewhere.py', 1, module=module)
    assert caught == []


def test_the_filters_are_narrow() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.warn_explicit('overflow encountered in exp', RuntimeWarning, 'polychain.py', 1,
                               module='polychain.functions')
    assert [str(w.message) for w in caught] == ['overflow encountered in exp']
