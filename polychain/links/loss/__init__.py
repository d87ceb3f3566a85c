"""Links of loss functions that hold parameters."""

from polychain.links.loss.black_out import BlackOut
from polychain.links.loss.crf1d import CRF1d
from polychain.links.loss.hierarchical_softmax import BinaryHierarchicalSoftmax
from polychain.links.loss.negative_sampling import NegativeSampling

__all__ = ['BinaryHierarchicalSoftmax', 'BlackOut', 'CRF1d', 'NegativeSampling']
