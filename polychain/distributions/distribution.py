"""The interface of probability distributions and the helpers they share.

Random draws are made on the host with the global ``numpy.random`` state and sent
to the device of the distribution's parameters, as Chainer does on the CPU:
``numpy.random.seed(s)`` makes sampling repeatable, and the same seed gives the
same samples on every backend.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy

from polychain import functions as F
from polychain.backend import get_namespace, to_host
from polychain.utils.dtypes import has_float_dtype, host_dtype
from polychain.variable import Variable


def one_of(owner: str, **given: Any) -> tuple[str, Any]:
    """The only argument of ``given`` that is not ``None``, as ``(name, value)``.

    Raises:
        ValueError: None or more than one of them was given.
    """
    chosen = [(name, value) for name, value in given.items() if value is not None]
    if len(chosen) != 1:
        names = ' or '.join(f'`{name}`' for name in given)
        received = ', '.join(name for name, _ in chosen) or 'none'
        raise ValueError(f'{owner}: expected exactly one of {names}, received {received}')
    return chosen[0]


def as_parameter(owner: str, name: str, value: Any) -> Variable:
    """``value`` as a floating-point Variable (a Variable is used as it is, keeping its graph).

    Raises:
        TypeError: ``value`` is not an array or Variable of a floating-point dtype.
    """
    if not isinstance(value, Variable):
        try:
            value = Variable(value, requires_grad=False)
        except TypeError:
            raise TypeError(f'{owner}: expected an array or Variable as {name}, received '
                            f'{type(value).__name__}') from None
    if not has_float_dtype(value):
        raise TypeError(f'{owner}: expected a floating-point {name}, received dtype '
                        f'{value.dtype}')
    return value


def broadcast_parameters(owner: str, **params: Variable) -> tuple[Variable, ...]:
    """Broadcasts parameters to their common shape.

    Raises:
        ValueError: The shapes do not broadcast together.
    """
    values = tuple(params.values())
    shapes = [v.shape for v in values]
    try:
        shape = numpy.broadcast_shapes(*shapes)
    except ValueError:
        described = ', '.join(f'{name}{v.shape}' for name, v in params.items())
        raise ValueError(f'{owner}: expected parameters of shapes that broadcast together, '
                         f'received {described}') from None
    return tuple(v if v.shape == shape else F.broadcast_to(v, shape) for v in values)


def xlogx(x: Variable) -> Variable:
    """``x * log(x)`` with the limit ``0`` at ``x == 0`` (and a zero gradient there)."""
    positive = x.array > 0
    safe = F.where(positive, x, x.device.namespace.ones_like(x.array))
    return F.where(positive, x * F.log(safe), x.device.namespace.zeros_like(x.array))


def lbeta(a: Variable, b: Variable) -> Variable:
    """The logarithm of the beta function ``B(a, b)``."""
    return F.lgamma(a) + F.lgamma(b) - F.lgamma(a + b)


def constant_where(condition: Any, x: Variable, value: float) -> Variable:
    """``x`` where ``condition`` holds and the constant ``value`` elsewhere."""
    xp = x.device.namespace
    return F.where(condition, x, xp.full_like(x.array, value))


class Distribution:
    """Interface of probability distributions.

    A sample has the shape ``sample_shape + batch_shape + event_shape``: the
    batch holds independent, not identically distributed draws, and an event is
    one draw of a multivariate distribution. Probability functions take such a
    sample and return values of shape ``sample_shape + batch_shape``.

    Everything computed from :class:`~polychain.Variable` parameters is
    differentiable with respect to them. Subclasses implement what applies to
    them; the rest raises :class:`NotImplementedError`.
    """

    #: The names of the parameters shown by ``repr`` and returned by :attr:`params`.
    _param_names: tuple[str, ...] = ()

    # -- shapes and parameters ---------------------------------------------------------------
    @property
    def batch_shape(self) -> tuple[int, ...]:
        """The shape of the independent, not identically distributed part of a sample.

        By default the shape of the first parameter: distributions whose
        parameters are broadcast to one shape, one value per draw, need no
        more. Those with extra parameter axes (classes, event axes) override it.
        """
        if not self._param_names:
            return self._unsupported('batch_shape')
        return getattr(self, self._param_names[0]).shape

    @property
    def event_shape(self) -> tuple[int, ...]:
        """The shape of one event (one draw of a multivariate distribution)."""
        return ()

    @property
    def params(self) -> dict[str, Variable]:
        """The parameters of the distribution, by name."""
        return {name: getattr(self, name) for name in self._param_names}

    @property
    def device(self) -> Any:
        """The :class:`~polychain.backend.Device` of the parameters."""
        return next(iter(self.params.values())).device

    @property
    def dtype(self) -> Any:
        """The floating-point dtype of the parameters."""
        return next(iter(self.params.values())).dtype

    @property
    def xp(self) -> Any:
        """The array library's module of the parameters (``numpy``, ``cupy``, ``jax.numpy``)."""
        return self.device.xp

    @property
    def _host_dtype(self) -> numpy.dtype:
        """The NumPy dtype of the parameters, for draws made on the host."""
        return host_dtype(self.device.namespace, self.dtype)

    def __repr__(self) -> str:
        described = ', '.join(f'{name}={_describe(value)}' for name, value in self.params.items())
        return f'{type(self).__name__}({described}) on {self.device}'

    # -- moments and summaries ---------------------------------------------------------------
    @property
    def mean(self) -> Variable:
        """The mean of the distribution."""
        return self._unsupported('mean')

    @property
    def mode(self) -> Variable:
        """The mode of the distribution."""
        return self._unsupported('mode')

    @property
    def variance(self) -> Variable:
        """The variance of the distribution."""
        return self._unsupported('variance')

    @property
    def stddev(self) -> Variable:
        """The standard deviation of the distribution."""
        return F.sqrt(self.variance)

    @property
    def covariance(self) -> Variable:
        """The covariance matrix of a multivariate distribution."""
        return self._unsupported('covariance')

    @property
    def entropy(self) -> Variable:
        """The (differential) entropy of the distribution."""
        return self._unsupported('entropy')

    @property
    def support(self) -> str:
        """A short description of the set the samples lie in."""
        return self._unsupported('support')

    # -- probability functions ---------------------------------------------------------------
    def log_prob(self, x: Any) -> Variable:
        """Evaluates the logarithm of the probability (density) at ``x``.

        Args:
            x (~polychain.Variable or array): Points of shape
                ``sample_shape + batch_shape + event_shape``.
        """
        return self._unsupported('log_prob')

    def prob(self, x: Any) -> Variable:
        """Evaluates the probability (density) at ``x``.

        Args:
            x (~polychain.Variable or array): Points in the domain of the distribution.
        """
        return F.exp(self.log_prob(x))

    def cdf(self, x: Any) -> Variable:
        """Evaluates the cumulative distribution function at ``x``.

        Args:
            x (~polychain.Variable or array): Points in the domain of the distribution.
        """
        return self._unsupported('cdf')

    def log_cdf(self, x: Any) -> Variable:
        """Evaluates the logarithm of the cumulative distribution function at ``x``.

        Args:
            x (~polychain.Variable or array): Points in the domain of the distribution.
        """
        return F.log(self.cdf(x))

    def icdf(self, x: Any) -> Variable:
        """Evaluates the inverse cumulative distribution function at ``x``.

        Args:
            x (~polychain.Variable or array): Probabilities in ``[0, 1]``.
        """
        return self._unsupported('icdf')

    def survival_function(self, x: Any) -> Variable:
        """Evaluates the survival function ``1 - cdf(x)`` at ``x``.

        Args:
            x (~polychain.Variable or array): Points in the domain of the distribution.
        """
        return 1.0 - self.cdf(x)

    def log_survival_function(self, x: Any) -> Variable:
        """Evaluates the logarithm of the survival function at ``x``.

        Args:
            x (~polychain.Variable or array): Points in the domain of the distribution.
        """
        return F.log(self.survival_function(x))

    def perplexity(self, x: Any) -> Variable:
        """Evaluates the perplexity function at ``x``.

        Args:
            x (~polychain.Variable or array): Points in the domain of the distribution.
        """
        return self._unsupported('perplexity')

    # -- sampling ----------------------------------------------------------------------------
    def sample(self, sample_shape: int | tuple[int, ...] = ()) -> Variable:
        """Draws random points from the distribution.

        Draws come from the global ``numpy.random`` state (see the module notes).

        Args:
            sample_shape (int or tuple of ints): The shape of the independent draws.

        Returns:
            ~polychain.Variable: Samples of shape
            ``sample_shape + batch_shape + event_shape``.
        """
        if isinstance(sample_shape, int):
            sample_shape = (sample_shape,)
        sample_shape = tuple(sample_shape)
        if any(not isinstance(n, int) or n < 0 for n in sample_shape):
            raise ValueError(f'{type(self).__name__}.sample: expected sample_shape of '
                             f'non-negative ints, received {sample_shape}')
        samples = self.sample_n(math.prod(sample_shape))
        return samples.reshape(sample_shape + self.batch_shape + self.event_shape)

    def sample_n(self, n: int) -> Variable:
        """Draws ``n`` random points; the result has shape ``(n,) + batch_shape + event_shape``.

        Args:
            n (int): The number of draws.
        """
        return self._unsupported('sample_n')

    # -- helpers for subclasses --------------------------------------------------------------
    def _as_input(self, x: Any) -> Variable:
        """A point argument as a Variable; Python numbers become arrays on the device."""
        if isinstance(x, Variable):
            return x
        if isinstance(x, (int, float)):
            x = self.device.send(numpy.asarray(x, dtype=self._host_dtype))
        return Variable(x, requires_grad=False)

    def _as_float_input(self, x: Any) -> Variable:
        """A point argument as a Variable of the parameters' dtype (integers are cast)."""
        x = self._as_input(x)
        return x if x.dtype == self.dtype else F.cast(x, self.dtype)

    def _host_draw(self, draw: Callable[..., Any], shape: tuple[int, ...],
                   *host_params: Variable) -> Any:
        """``draw(*params, size=shape)`` with ``numpy.random``, sent as an array of the device.

        ``host_params`` are copied to the host and passed to ``draw`` (e.g. the
        shape parameter of ``numpy.random.gamma``).
        """
        args = [to_host(p.array) for p in host_params]
        values = numpy.asarray(draw(*args, size=shape))
        if values.dtype.kind == 'f':
            values = values.astype(self._host_dtype)
        return self.device.send(values)

    def _unsupported(self, what: str) -> Any:
        raise NotImplementedError(f'{type(self).__name__} does not implement {what}')


def _describe(value: Any) -> str:
    return f'<{host_dtype(get_namespace(value), value.dtype).name} {value.shape}>'
