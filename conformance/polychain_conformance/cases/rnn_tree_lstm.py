"""Cases of tree_lstm, against NumPy."""

from __future__ import annotations

import numpy

from polychain_conformance.spec import Case, Input


def _sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    return 1 / (1 + numpy.exp(-x))


def _tree_lstm(*inputs):
    *cs, x = inputs
    gates = numpy.split(x, 3 + len(cs), axis=1)
    a, i, o, fs = numpy.tanh(gates[0]), _sigmoid(gates[1]), _sigmoid(gates[2]), gates[3:]
    c = a * i + sum(_sigmoid(f) * child for f, child in zip(fs, cs))
    return c, o * numpy.tanh(c)


CASES: tuple[Case, ...] = (
    Case('tree_lstm', (Input((3, 2)), Input((3, 2)), Input((3, 10), -2.0, 2.0)), _tree_lstm),
    Case('tree_lstm', (Input((2, 3)), Input((2, 12), -2.0, 2.0)), _tree_lstm,
         name='tree_lstm_one_child', strided=True),
)
