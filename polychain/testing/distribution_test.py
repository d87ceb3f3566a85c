"""``distribution_unittest``: a base class comparing a distribution with SciPy's."""

from __future__ import annotations

import unittest
from collections.abc import Iterator
from typing import Any

import numpy

from polychain.testing import attr
from polychain.testing.array import assert_allclose
from polychain.testing.helper import with_requires
from polychain.variable import Variable

#: What a subclass may list in ``test_targets``.
TARGETS = frozenset(['batch_shape', 'cdf', 'entropy', 'event_shape', 'icdf', 'log_cdf',
                     'log_prob', 'log_survival', 'mean', 'prob', 'sample', 'stddev',
                     'support', 'survival', 'variance'])
#: Draws per sampled point of the ``sample`` check.
SAMPLES = 100000


def _to_gpu(value: Any) -> Any:
    from polychain.backends import cuda
    if isinstance(value, Variable):
        return Variable(cuda.to_gpu(value.array))
    return cuda.to_gpu(value)


@with_requires('scipy')
class distribution_unittest(unittest.TestCase):  # noqa: N801 (Chainer's name)
    """Tests a :class:`~polychain.distribution.Distribution` against a SciPy distribution.

    Subclasses are parameterized with ``shape`` (the batch shape),
    ``sample_shape`` and ``is_variable`` (pass the parameters as Variables),
    and implement:

    - ``setUp_configure(self)``: sets ``dist`` (the class under test),
      ``scipy_dist`` (e.g. ``scipy.stats.norm``), ``params`` (its keyword
      arguments, NumPy arrays), ``scipy_params`` and ``test_targets`` (a set
      of :data:`TARGETS`); may set ``options`` (more keyword arguments),
      ``event_shape`` (default ``()``), ``support`` (default ``'real'``) and
      ``continuous`` (default True; False compares with ``pmf``).
    - ``sample_for_test(self)``: a NumPy sample of shape
      ``sample_shape + shape + event_shape``.

    ``scipy_onebyone = True`` calls SciPy once per batch element (for SciPy
    distributions that do not broadcast their parameters). Each target gets
    ``test_<target>_cpu`` and ``test_<target>_gpu`` (marked ``gpu``), which
    run ``check_<target>(is_gpu)``.
    """

    scipy_onebyone = False
    is_variable = False

    def setUp(self) -> None:  # noqa: N802 (unittest's name)
        self.support = 'real'
        if not hasattr(self, 'event_shape'):
            self.event_shape = ()
        self.continuous = True
        self.test_targets = set()
        self.options = {}
        self.setUp_configure()
        unknown = set(self.test_targets) - TARGETS
        if unknown:
            raise ValueError(f'invalid target(s): {sorted(unknown)}; expected some of '
                             f'{sorted(TARGETS)}')
        if self.is_variable:
            self.params = {k: Variable(v) for k, v in self.params.items()}

    def setUp_configure(self) -> None:  # noqa: N802 (Chainer's name)
        """Sets the distribution, its SciPy counterpart, parameters and targets."""
        raise NotImplementedError(f'{type(self).__name__} must implement setUp_configure()')

    def scipy_onebyone_params_iter(self) -> Iterator[dict[str, Any]]:
        """The SciPy parameters of each batch element, in C order."""
        for index in numpy.ndindex(*self.shape):
            yield {k: v if numpy.isscalar(v) else numpy.asarray(v)[index]
                   for k, v in self.scipy_params.items()}

    @property
    def cpu_dist(self) -> Any:
        """The distribution with the parameters on the CPU."""
        return self.dist(**self.params, **self.options)

    @property
    def gpu_dist(self) -> Any:
        """The distribution with the parameters on a CuPy GPU."""
        params = {k: _to_gpu(v) for k, v in self.params.items()}
        return self.dist(**params, **self.options)

    def _dist(self, is_gpu: bool) -> Any:
        return self.gpu_dist if is_gpu else self.cpu_dist

    def _on(self, value: Any, is_gpu: bool) -> Any:
        return _to_gpu(value) if is_gpu else value

    # -- comparisons with SciPy -----------------------------------------------
    def _scipy_statistic(self, name: str, shape: tuple[int, ...]) -> Any:
        """SciPy's ``name`` (``mean``, ``std``...) of the distribution, shaped ``shape``."""
        function = getattr(self.scipy_dist, name)
        if not self.scipy_onebyone:
            return function(**self.scipy_params)
        values = [function(**params) for params in self.scipy_onebyone_params_iter()]
        return numpy.vstack(values).reshape(shape)

    def _check_statistic(self, is_gpu: bool, attribute: str, scipy_name: str,
                         with_event: bool = True) -> None:
        shape = tuple(self.shape) + (tuple(self.event_shape) if with_event else ())
        actual = getattr(self._dist(is_gpu), attribute)
        assert_allclose(actual, self._scipy_statistic(scipy_name, shape))

    def _scipy_of_sample(self, name: str, sample: numpy.ndarray) -> Any:
        """SciPy's ``name`` (``logpdf``, ``cdf``...) of each point of ``sample``."""
        function = getattr(self.scipy_dist, name)
        if not self.scipy_onebyone:
            return function(sample, **self.scipy_params)
        sample_shape, shape = tuple(self.sample_shape), tuple(self.shape)
        n_sample, n_batch = int(numpy.prod(sample_shape)), int(numpy.prod(shape))
        points = sample.reshape(n_sample, n_batch, -1).swapaxes(0, 1)
        points = points.reshape((n_batch, *sample_shape, *self.event_shape))
        values = [function(point, **params)
                  for params, point in zip(self.scipy_onebyone_params_iter(), points)]
        values = numpy.vstack(values).reshape(n_batch, -1).T
        return values.reshape(sample_shape + shape)

    def _check_of_sample(self, is_gpu: bool, method: str, scipy_name: str,
                         sample: numpy.ndarray | None = None) -> None:
        if sample is None:
            sample = self.sample_for_test()
        actual = getattr(self._dist(is_gpu), method)(self._on(sample, is_gpu))
        assert_allclose(actual, self._scipy_of_sample(scipy_name, sample))

    # -- the checks -----------------------------------------------------------
    def check_batch_shape(self, is_gpu: bool) -> None:
        self.assertEqual(self._dist(is_gpu).batch_shape, tuple(self.shape))

    def check_event_shape(self, is_gpu: bool) -> None:
        self.assertEqual(self._dist(is_gpu).event_shape, tuple(self.event_shape))

    def check_support(self, is_gpu: bool) -> None:
        self.assertEqual(self._dist(is_gpu).support, self.support)

    def check_mean(self, is_gpu: bool) -> None:
        self._check_statistic(is_gpu, 'mean', 'mean')

    def check_stddev(self, is_gpu: bool) -> None:
        self._check_statistic(is_gpu, 'stddev', 'std')

    def check_variance(self, is_gpu: bool) -> None:
        self._check_statistic(is_gpu, 'variance', 'var')

    def check_entropy(self, is_gpu: bool) -> None:
        self._check_statistic(is_gpu, 'entropy', 'entropy', with_event=False)

    def check_cdf(self, is_gpu: bool) -> None:
        self._check_of_sample(is_gpu, 'cdf', 'cdf')

    def check_log_cdf(self, is_gpu: bool) -> None:
        self._check_of_sample(is_gpu, 'log_cdf', 'logcdf')

    def check_survival(self, is_gpu: bool) -> None:
        self._check_of_sample(is_gpu, 'survival_function', 'sf')

    def check_log_survival(self, is_gpu: bool) -> None:
        self._check_of_sample(is_gpu, 'log_survival_function', 'logsf')

    def check_prob(self, is_gpu: bool) -> None:
        self._check_of_sample(is_gpu, 'prob', 'pdf' if self.continuous else 'pmf')

    def check_log_prob(self, is_gpu: bool) -> None:
        self._check_of_sample(is_gpu, 'log_prob', 'logpdf' if self.continuous else 'logpmf')

    def check_icdf(self, is_gpu: bool) -> None:
        shape = tuple(self.sample_shape) + tuple(self.shape)
        levels = numpy.random.uniform(1e-5, 1 - 1e-5, shape).astype(numpy.float32)
        actual = self._dist(is_gpu).icdf(self._on(levels, is_gpu))
        assert_allclose(actual, self.scipy_dist.ppf(levels, **self.scipy_params))

    def check_sample(self, is_gpu: bool) -> None:
        """The mean and standard deviation of many samples match SciPy's samples'."""
        sample_shape, shape = tuple(self.sample_shape), tuple(self.shape)
        dist = self._dist(is_gpu)
        event_shape = tuple(dist.event_shape)
        actual = dist.sample(sample_shape=(SAMPLES, *sample_shape)).array
        if self.scipy_onebyone:
            draws = [self.scipy_dist.rvs(size=(SAMPLES, *sample_shape), **params)
                     for params in self.scipy_onebyone_params_iter()]
            expected = numpy.vstack(draws).reshape(
                (int(numpy.prod(shape)), SAMPLES, *sample_shape, *event_shape))
            expected = numpy.moveaxis(expected, 0, expected.ndim - 1 - len(event_shape))
            expected = expected.reshape((SAMPLES, *sample_shape, *shape, *event_shape))
        else:
            expected = self.scipy_dist.rvs(size=(SAMPLES, *sample_shape, *shape),
                                           **self.scipy_params)
        for statistic in ('mean', 'std'):
            assert_allclose(getattr(actual, statistic)(axis=0),
                            getattr(expected, statistic)(axis=0), atol=3e-2, rtol=3e-2)


def _add_target_tests(cls: type, target: str) -> None:
    """Adds ``test_<target>_cpu`` and ``test_<target>_gpu`` running ``check_<target>``."""
    def run(self: Any, is_gpu: bool) -> None:
        if target in self.test_targets:
            getattr(self, f'check_{target}')(is_gpu)

    def test_cpu(self: Any) -> None:
        run(self, False)

    def test_gpu(self: Any) -> None:
        run(self, True)

    for method, suffix in ((test_cpu, 'cpu'), (attr.gpu(test_gpu), 'gpu')):
        method.__name__ = f'test_{target}_{suffix}'
        method.__qualname__ = f'{cls.__qualname__}.{method.__name__}'
        setattr(cls, method.__name__, method)


for _target in sorted(TARGETS):
    _add_target_tests(distribution_unittest, _target)
del _target
