"""Probability distributions with differentiable parameters (``chainer.distributions``).

Sampling draws from the global ``numpy.random`` state on the host and sends the
draws to the parameters' device: ``numpy.random.seed`` makes it repeatable, with
the same samples on every backend.
"""

from polychain.distributions import utils
from polychain.distributions.bernoulli import Bernoulli
from polychain.distributions.beta import Beta
from polychain.distributions.categorical import Categorical
from polychain.distributions.cauchy import Cauchy
from polychain.distributions.chisquare import Chisquare
from polychain.distributions.dirichlet import Dirichlet
from polychain.distributions.distribution import Distribution
from polychain.distributions.exponential import Exponential
from polychain.distributions.gamma import Gamma
from polychain.distributions.geometric import Geometric
from polychain.distributions.gumbel import Gumbel
from polychain.distributions.independent import Independent
from polychain.distributions.kl import cross_entropy, kl_divergence, register_kl
from polychain.distributions.laplace import Laplace
from polychain.distributions.log_normal import LogNormal
from polychain.distributions.multivariate_normal import MultivariateNormal
from polychain.distributions.normal import Normal
from polychain.distributions.one_hot_categorical import OneHotCategorical
from polychain.distributions.pareto import Pareto
from polychain.distributions.poisson import Poisson
from polychain.distributions.uniform import Uniform

__all__ = ['Bernoulli', 'Beta', 'Categorical', 'Cauchy', 'Chisquare', 'Dirichlet', 'Distribution',
           'Exponential', 'Gamma', 'Geometric', 'Gumbel', 'Independent', 'Laplace', 'LogNormal',
           'MultivariateNormal', 'Normal', 'OneHotCategorical', 'Pareto', 'Poisson', 'Uniform',
           'cross_entropy', 'kl_divergence', 'register_kl', 'utils']
