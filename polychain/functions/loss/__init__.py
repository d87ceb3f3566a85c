"""Loss functions."""

from polychain.functions.loss.absolute_error import absolute_error, mean_absolute_error
from polychain.functions.loss.contrastive import contrastive
from polychain.functions.loss.ctc import connectionist_temporal_classification
from polychain.functions.loss.decov import decov
from polychain.functions.loss.hinge import hinge
from polychain.functions.loss.huber_loss import huber_loss
from polychain.functions.loss.sigmoid_cross_entropy import sigmoid_cross_entropy
from polychain.functions.loss.softmax_cross_entropy import softmax_cross_entropy
from polychain.functions.loss.squared_error import mean_squared_error, squared_error
from polychain.functions.loss.triplet import triplet
from polychain.functions.loss.vae import bernoulli_nll, gaussian_kl_divergence, gaussian_nll

__all__ = ['absolute_error', 'bernoulli_nll', 'connectionist_temporal_classification',
           'contrastive', 'decov', 'gaussian_kl_divergence',
           'gaussian_nll', 'hinge', 'huber_loss', 'mean_absolute_error', 'mean_squared_error',
           'sigmoid_cross_entropy', 'softmax_cross_entropy', 'squared_error', 'triplet']
