"""Rnn links."""

from polychain.links.rnn.gru import GRU, StatefulGRU, StatelessGRU
from polychain.links.rnn.lstm import LSTM, StatelessLSTM
from polychain.links.rnn.mgu import StatefulMGU, StatelessMGU
from polychain.links.rnn.n_step_rnn import (
    NStepBiGRU,
    NStepBiLSTM,
    NStepBiRNNReLU,
    NStepBiRNNTanh,
    NStepGRU,
    NStepLSTM,
    NStepRNNReLU,
    NStepRNNTanh,
)
from polychain.links.rnn.peephole import StatefulPeepholeLSTM
from polychain.links.rnn.tree_lstm import ChildSumTreeLSTM, NaryTreeLSTM
from polychain.links.rnn.zoneoutlstm import StatefulZoneoutLSTM

__all__ = ['ChildSumTreeLSTM', 'GRU', 'LSTM', 'NStepBiGRU', 'NStepBiLSTM', 'NStepBiRNNReLU',
           'NStepBiRNNTanh', 'NStepGRU', 'NStepLSTM', 'NStepRNNReLU', 'NStepRNNTanh',
           'NaryTreeLSTM', 'StatefulGRU',
           'StatefulMGU', 'StatefulPeepholeLSTM', 'StatefulZoneoutLSTM',
           'StatelessGRU', 'StatelessLSTM', 'StatelessMGU']
