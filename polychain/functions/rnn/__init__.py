"""Recurrent functions: LSTM cells and stacked recurrences over variable-length sequences."""

from polychain.functions.rnn.lstm import lstm, slstm
from polychain.functions.rnn.n_step_gru import n_step_bigru, n_step_gru
from polychain.functions.rnn.n_step_lstm import n_step_bilstm, n_step_lstm
from polychain.functions.rnn.n_step_rnn import n_step_birnn, n_step_rnn

__all__ = ['lstm', 'n_step_bigru', 'n_step_bilstm', 'n_step_birnn', 'n_step_gru', 'n_step_lstm',
           'n_step_rnn', 'slstm']
