"""Stacked recurrent links over lists of variable-length sequences (NStepLSTM, NStepGRU, ...)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy

from polychain import initializers
from polychain.functions.array.permutate import permutate
from polychain.functions.array.transpose_sequence import transpose_sequence
from polychain.functions.rnn.n_step_gru import n_step_bigru, n_step_gru
from polychain.functions.rnn.n_step_lstm import n_step_bilstm, n_step_lstm
from polychain.functions.rnn.n_step_rnn import n_step_birnn, n_step_rnn
from polychain.link import ChainList, Link
from polychain.links.rnn.state import zero_state
from polychain.parameter import Parameter
from polychain.variable import Variable


def _with_activation(function: Callable[..., Any], activation: str) -> staticmethod:
    """``function`` with its ``activation`` argument fixed, as a static method of a link."""
    def call(*args: Any) -> tuple[Any, ...]:
        return function(*args, activation=activation)
    return staticmethod(call)


class NStepRNNBase(ChainList):
    """Stacked recurrent layers applied to a list of sequences of any lengths and order.

    Layer ``l`` in direction ``d`` is the child ``self[l * directions + d]``
    holding ``w0, w1, ...`` and ``b0, b1, ...``; ``ws`` and ``bs`` list them
    in the layout of the ``n_step_*`` functions.

    Args:
        n_layers: The number of layers.
        in_size: Dimension of the input vectors.
        out_size: Dimension of the hidden states and outputs.
        dropout: Dropout ratio of the inputs of layers after the first (in training).
        initialW: Initializer of every weight matrix (default ``N(0, 1 / fan_in)``).
        initial_bias: Initializer of every bias (default 0).
    """

    #: Weight matrices (and biases) per layer and direction.
    n_weights = 2
    use_bi_direction = False
    #: Whether the recurrence carries a cell state (LSTM).
    use_cell = False

    def __init__(self, n_layers: int, in_size: int, out_size: int, dropout: float,
                 initialW: Any = None, initial_bias: Any = None) -> None:  # noqa: N803
        directions = 2 if self.use_bi_direction else 1
        layers = []
        for layer in range(n_layers):
            for _ in range(directions):
                weights = Link()
                with weights.init_scope():
                    for j in range(self.n_weights):
                        if j >= self.n_weights // 2:
                            fan_in = out_size
                        else:
                            fan_in = in_size if layer == 0 else out_size * directions
                        w_init = initializers.Normal(float(numpy.sqrt(1.0 / fan_in))) \
                            if initialW is None else initialW
                        setattr(weights, f'w{j}', Parameter(w_init, (out_size, fan_in)))
                        setattr(weights, f'b{j}', Parameter(
                            0 if initial_bias is None else initial_bias, (out_size,)))
                layers.append(weights)
        super().__init__(*layers)
        self.n_layers = n_layers
        self.dropout = dropout
        self.out_size = out_size
        self.direction = directions

    @property
    def ws(self) -> list[list[Parameter]]:
        """The weight matrices, ``ws[l * directions + d][j]``."""
        return [[getattr(layer, f'w{j}') for j in range(self.n_weights)] for layer in self]

    @property
    def bs(self) -> list[list[Parameter]]:
        """The bias vectors, ``bs[l * directions + d][j]``."""
        return [[getattr(layer, f'b{j}') for j in range(self.n_weights)] for layer in self]

    @property
    def n_cells(self) -> int:
        """The number of state tensors (2 with a cell state, else 1)."""
        return 2 if self.use_cell else 1

    def init_hx(self, xs: Sequence[Any]) -> Variable:
        """Zero initial states for the sequences ``xs``."""
        shape = (self.n_layers * self.direction, len(xs), self.out_size)
        return zero_state(self.device, shape, xs[0].dtype)

    def rnn(self, *args: Any) -> tuple[Any, ...]:
        """Calls the ``n_step_*`` function of this link."""
        return self.function(*args)

    #: The ``n_step_*`` function the link calls.
    function: Callable[..., Any]

    def _call(self, states: Sequence[Any], xs: Sequence[Any]) -> tuple[list[Variable],
                                                                         list[Variable]]:
        if not isinstance(xs, (list, tuple)) or not xs:
            raise TypeError(f'{type(self).__name__}.forward: expected a non-empty list of '
                            f'sequences as xs, received {type(xs).__name__}')
        order = numpy.argsort([-x.shape[0] for x in xs], kind='stable').astype(numpy.int64)
        indices = self.device.send(order)
        sorted_xs = [xs[i] for i in order]
        hxs = [self.init_hx(sorted_xs) if h is None else permutate(h, indices, axis=1)
               for h in states]
        result = self.rnn(self.n_layers, self.dropout, *hxs, self.ws, self.bs,
                          transpose_sequence(sorted_xs))
        hys = [permutate(h, indices, axis=1, inv=True) for h in result[:-1]]
        sorted_ys = transpose_sequence(result[-1])
        ys = [None] * len(xs)
        for position, i in enumerate(order):
            ys[i] = sorted_ys[position]
        return hys, ys

    def forward(self, hx: Any, xs: Sequence[Any]) -> tuple[Variable, list[Variable]]:
        """Runs the layers over the sequences ``xs``.

        Args:
            hx: Initial hidden states of shape ``(n_layers * directions, B, out_size)``,
                or ``None`` for zeros.
            xs: ``B`` sequences, ``xs[i]`` of shape ``(L_i, in_size)``, in any order.

        Returns:
            ``(hy, ys)``: the last hidden states and, per sequence, the outputs
            of the last layer (``(L_i, out_size * directions)``).
        """
        (hy,), ys = self._call([hx], xs)
        return hy, ys


class NStepRNNTanh(NStepRNNBase):
    """Stacked uni-directional tanh RNN (:func:`~polychain.functions.n_step_rnn`).

    Args:
        n_layers: The number of layers.
        in_size: Dimension of the input vectors.
        out_size: Dimension of the hidden states and outputs.
        dropout: Dropout ratio.
    """

    function = _with_activation(n_step_rnn, 'tanh')


class NStepRNNReLU(NStepRNNBase):
    """Stacked uni-directional ReLU RNN (:func:`~polychain.functions.n_step_rnn`).

    Args:
        n_layers: The number of layers.
        in_size: Dimension of the input vectors.
        out_size: Dimension of the hidden states and outputs.
        dropout: Dropout ratio.
    """

    function = _with_activation(n_step_rnn, 'relu')


class NStepBiRNNTanh(NStepRNNBase):
    """Stacked bi-directional tanh RNN (:func:`~polychain.functions.n_step_birnn`).

    Args:
        n_layers: The number of layers.
        in_size: Dimension of the input vectors.
        out_size: Dimension of the hidden states (outputs are twice as wide).
        dropout: Dropout ratio.
    """

    use_bi_direction = True

    function = _with_activation(n_step_birnn, 'tanh')


class NStepBiRNNReLU(NStepRNNBase):
    """Stacked bi-directional ReLU RNN (:func:`~polychain.functions.n_step_birnn`).

    Args:
        n_layers: The number of layers.
        in_size: Dimension of the input vectors.
        out_size: Dimension of the hidden states (outputs are twice as wide).
        dropout: Dropout ratio.
    """

    use_bi_direction = True

    function = _with_activation(n_step_birnn, 'relu')


class NStepGRU(NStepRNNBase):
    """Stacked uni-directional GRU (:func:`~polychain.functions.n_step_gru`).

    Args:
        n_layers: The number of layers.
        in_size: Dimension of the input vectors.
        out_size: Dimension of the hidden states and outputs.
        dropout: Dropout ratio.
    """

    n_weights = 6
    function = staticmethod(n_step_gru)


class NStepBiGRU(NStepRNNBase):
    """Stacked bi-directional GRU (:func:`~polychain.functions.n_step_bigru`).

    Args:
        n_layers: The number of layers.
        in_size: Dimension of the input vectors.
        out_size: Dimension of the hidden states (outputs are twice as wide).
        dropout: Dropout ratio.
    """

    n_weights = 6
    use_bi_direction = True
    function = staticmethod(n_step_bigru)


class _NStepLSTMBase(NStepRNNBase):
    n_weights = 8
    use_cell = True

    def forward(self, hx: Any, cx: Any,  # type: ignore[override]
                xs: Sequence[Any]) -> tuple[Variable, Variable, list[Variable]]:
        """Runs the layers over the sequences ``xs``.

        Args:
            hx: Initial hidden states of shape ``(n_layers * directions, B, out_size)``,
                or ``None`` for zeros.
            cx: Initial cell states of the same shape, or ``None`` for zeros.
            xs: ``B`` sequences, ``xs[i]`` of shape ``(L_i, in_size)``, in any order.

        Returns:
            ``(hy, cy, ys)``: the last hidden and cell states and, per sequence,
            the outputs of the last layer (``(L_i, out_size * directions)``).
        """
        (hy, cy), ys = self._call([hx, cx], xs)
        return hy, cy, ys


class NStepLSTM(_NStepLSTMBase):
    """Stacked uni-directional LSTM (:func:`~polychain.functions.n_step_lstm`).

    Args:
        n_layers: The number of layers.
        in_size: Dimension of the input vectors.
        out_size: Dimension of the hidden states and outputs.
        dropout: Dropout ratio.
    """

    function = staticmethod(n_step_lstm)


class NStepBiLSTM(_NStepLSTMBase):
    """Stacked bi-directional LSTM (:func:`~polychain.functions.n_step_bilstm`).

    Args:
        n_layers: The number of layers.
        in_size: Dimension of the input vectors.
        out_size: Dimension of the hidden states (outputs are twice as wide).
        dropout: Dropout ratio.
    """

    use_bi_direction = True
    function = staticmethod(n_step_bilstm)
