"""Links for multi-node models: batch normalization over all ranks, models split over ranks."""

from polychain.chainermn.links.batch_normalization import MultiNodeBatchNormalization
from polychain.chainermn.links.create_mnbn_model import create_mnbn_model
from polychain.chainermn.links.multi_node_chain_list import MultiNodeChainList
from polychain.chainermn.links.n_step_rnn import create_multi_node_n_step_rnn

__all__ = ['MultiNodeBatchNormalization', 'MultiNodeChainList', 'create_mnbn_model',
           'create_multi_node_n_step_rnn']
