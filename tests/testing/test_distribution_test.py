"""distribution_unittest against SciPy."""

from __future__ import annotations

import numpy
import pytest

from polychain import distributions, testing

pytest.importorskip('scipy')


def _normal_case(scale_error=1.0):
    @testing.parameterize(*testing.product({'shape': [(2, 3), ()], 'sample_shape': [(2,)],
                                            'is_variable': [True, False]}))
    @testing.fix_random()
    class TestNormal(testing.distribution_unittest):
        scipy_onebyone = True

        def setUp_configure(self):
            from scipy import stats
            self.dist = distributions.Normal
            self.scipy_dist = stats.norm
            self.test_targets = set(testing.distribution_test.TARGETS)
            loc = numpy.asarray(numpy.random.uniform(-1, 1, self.shape), numpy.float32)
            scale = numpy.asarray(numpy.random.uniform(0.5, 1, self.shape), numpy.float32)
            self.params = {'loc': loc, 'scale': scale}
            self.scipy_params = {'loc': loc, 'scale': scale * scale_error}

        def sample_for_test(self):
            return numpy.random.normal(size=self.sample_shape + self.shape).astype('f')
    return list(TestNormal)


def test_a_distribution_matching_scipy_passes(run_tests):
    for cls in _normal_case():
        result = run_tests(cls)
        assert not result.failures and not result.errors, result.failures + result.errors
        # The GPU tests skip without CuPy; every target has a CPU test.
        assert result.testsRun == 2 * len(testing.distribution_test.TARGETS)


def test_a_distribution_differing_from_scipy_fails(run_tests):
    result = run_tests(_normal_case(scale_error=2.0)[0])
    failed = {test.id().rpartition('.')[2] for test, _ in result.failures}
    assert {'test_stddev_cpu', 'test_variance_cpu', 'test_log_prob_cpu'} <= failed
    assert 'test_mean_cpu' not in failed


def test_unknown_targets_are_rejected(run_tests):
    class TestBad(testing.distribution_unittest):
        shape = ()

        def setUp_configure(self):
            self.test_targets = {'median'}

        def runTest(self):  # noqa: N802
            pass

    with pytest.raises(ValueError, match='median'):
        TestBad().setUp()
