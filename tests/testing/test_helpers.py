"""run_module, with_requires, without_requires, assert_warns, patch and condition."""

from __future__ import annotations

import unittest
import warnings

import pytest

from polychain import testing
from polychain.testing import condition


def test_run_module_does_nothing_unless_main():
    testing.run_module('some_module', __file__)


def test_run_module_runs_pytest_on_the_file_as_main(tmp_path, monkeypatch):
    test_file = tmp_path / 'test_x.py'
    test_file.write_text('def test_ok():\n    pass\n')
    monkeypatch.setattr('sys.argv', ['test_x.py', '-q', '-p', 'no:cacheprovider'])
    with pytest.raises(SystemExit) as exit_info:
        testing.run_module('__main__', str(test_file))
    assert exit_info.value.code == 0


def test_with_requires_skips_when_missing(run_tests):
    @testing.with_requires('numpy>=1.0', 'no-such-distribution-polychain')
    class TestNeeds(unittest.TestCase):
        def test_a(self):
            pass

    result = run_tests(TestNeeds)
    assert result.skipped and 'no-such-distribution-polychain' in result.skipped[0][1]


def test_with_requires_runs_when_satisfied(run_tests):
    @testing.with_requires('numpy>=1.0')
    class TestNeeds(unittest.TestCase):
        def test_a(self):
            pass

    result = run_tests(TestNeeds)
    assert result.testsRun == 1 and not result.skipped


def test_without_requires_skips_when_installed(run_tests):
    @testing.without_requires('numpy<1.0')
    class TestOld(unittest.TestCase):
        def test_a(self):
            pass

    @testing.without_requires('numpy>=1.0')
    class TestNew(unittest.TestCase):
        def test_a(self):
            pass

    assert not run_tests(TestOld).skipped
    assert run_tests(TestNew).skipped


def test_assert_warns():
    with testing.assert_warns(DeprecationWarning):
        warnings.warn('old', DeprecationWarning, stacklevel=1)
    with pytest.raises(AssertionError, match='UserWarning not triggered'):
        with testing.assert_warns(UserWarning):
            pass


def test_patch_wraps_the_original():
    with testing.patch('polychain.testing.matrix._broadcast_to') as mocked:
        from polychain.testing import matrix
        assert matrix._broadcast_to([1.0], (2,)).shape == (2,)
    assert mocked.call_count == 1


class _Trials(unittest.TestCase):
    calls = 0

    def flaky(self):
        type(self).calls += 1
        assert type(self).calls % 2 == 0, 'odd call'

    def runTest(self):  # noqa: N802
        pass


@pytest.mark.parametrize('decorator, passes, calls', [
    (condition.retry(3), True, 2),
    (condition.repeat(3), False, 1),
    (condition.repeat_with_success_at_least(4, 2), True, 4),
    (condition.repeat_with_success_at_least(4, 3), False, 3),
])
def test_conditions_count_trials(decorator, passes, calls):
    _Trials.calls = 0
    method = decorator(_Trials.flaky)
    if passes:
        method(_Trials())
    else:
        with pytest.raises(AssertionError, match='first error message:(.|\n)*odd call'):
            method(_Trials())
    assert _Trials.calls == calls


def test_condition_skips_on_pytest_skip():
    def skipping(self):
        pytest.skip('not here')

    with pytest.raises(unittest.SkipTest, match='not here'):
        condition.repeat(3)(skipping)(_Trials())


def test_repeat_with_success_at_least_rejects_too_many_successes():
    with pytest.raises(AssertionError):
        condition.repeat_with_success_at_least(2, 3)
