"""Probability distributions with differentiable parameters (``chainer.distributions``).

Sampling draws from the global ``numpy.random`` state on the host and sends the
draws to the parameters' device: ``numpy.random.seed`` makes it repeatable, with
the same samples on every backend.
"""

from polychain.distributions import utils
from polychain.distributions.bernoulli import Bernoulli
from polychain.distributions.beta import Beta
from polychain.distributions.categorical import Categorical
from polychain.distributions.distribution import Distribution
from polychain.distributions.gamma import Gamma
from polychain.distributions.kl import cross_entropy, kl_divergence, register_kl
from polychain.distributions.multivariate_normal import MultivariateNormal
from polychain.distributions.normal import Normal
from polychain.distributions.uniform import Uniform

__all__ = ['Bernoulli', 'Beta', 'Categorical', 'Distribution', 'Gamma', 'MultivariateNormal',
           'Normal', 'Uniform', 'cross_entropy', 'kl_divergence', 'register_kl', 'utils']
