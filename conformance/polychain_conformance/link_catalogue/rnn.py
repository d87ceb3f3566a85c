"""Cases of the recurrent links.

Stateful links run two steps from a reset state per call; the n-step links
are called through an adapter that passes the sequences as a list and
returns every output flat, as the link runner expects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy

import polychain.links as L
from polychain import initializers
from polychain.link import Chain, Link
from polychain_conformance.link_cases import LinkCase
from polychain_conformance.spec import Input


class _Steps(Chain):
    """Resets a stateful link, then feeds it each input in turn; returns every output."""

    def __init__(self, link: Link) -> None:
        super().__init__()
        with self.init_scope():
            self.link = link

    def forward(self, *xs: Any) -> tuple[Any, ...]:
        self.link.reset_state()
        return tuple(self.link(x) for x in xs)


class _Sequences(Chain):
    """Calls an n-step link with its ``n_states`` initial states and the sequences as a list.

    The states are the first inputs, or ``None`` (zeros) with ``zero_states``.
    """

    def __init__(self, link: Link, n_states: int, zero_states: bool = False) -> None:
        super().__init__()
        self.n_states = n_states
        self.zero_states = zero_states
        with self.init_scope():
            self.link = link

    def forward(self, *args: Any) -> tuple[Any, ...]:
        if self.zero_states:
            states, xs = [None] * self.n_states, list(args)
        else:
            states, xs = list(args[:self.n_states]), list(args[self.n_states:])
        *hys, ys = self.link(*states, xs)
        return (*hys, *ys)


def _stateful(cls: Callable[..., Link], *args: Any) -> Callable[[numpy.dtype], Link]:
    return lambda dtype: _Steps(cls(*args))


def _n_step(cls: Callable[..., Link], n_layers: int, n_states: int,
            zero_states: bool = False) -> Callable[[numpy.dtype], Link]:
    return lambda dtype: _Sequences(cls(n_layers, 3, 2, 0.0), n_states, zero_states)


def _sequences(n_layers: int, directions: int, n_states: int,
               with_states: bool = True) -> tuple[Input, ...]:
    states = (Input((n_layers * directions, 3, 2)),) * n_states if with_states else ()
    # Unsorted lengths: the link sorts the sequences itself.
    return states + (Input((2, 3)), Input((4, 3)), Input((1, 3)))


def _n_step_cases(name: str, directions: int, n_states: int) -> tuple[LinkCase, ...]:
    cls = getattr(L, name)
    return (
        LinkCase(name, _n_step(cls, 2, n_states), _sequences(2, directions, n_states)),
        LinkCase(name, _n_step(cls, 1, n_states, zero_states=True),
                 _sequences(1, directions, n_states, with_states=False),
                 name=f'{name}_zero_states'),
    )


def _stateless_lstm(dtype: numpy.dtype) -> Link:
    return L.StatelessLSTM(3, 2)


LINK_CASES: tuple[LinkCase, ...] = (
    LinkCase('LSTM', _stateful(L.LSTM, 3, 2), (Input((3, 3)), Input((2, 3)))),
    # A lazily created weight takes its initializer's dtype (config.dtype without one).
    LinkCase('LSTM', lambda dtype: _Steps(L.LSTM(2, upward_init=initializers.LeCunNormal(
        dtype=dtype))), (Input((3, 3)), Input((3, 3))), name='LSTM_lazy', lazy=True),
    LinkCase('StatelessLSTM', _stateless_lstm, (Input((3, 2)), Input((3, 2)), Input((3, 3)))),
    LinkCase('StatelessGRU', lambda dtype: L.StatelessGRU(3, 2), (Input((3, 2)), Input((3, 3)))),
    LinkCase('StatefulGRU', _stateful(L.StatefulGRU, 3, 2), (Input((3, 3)), Input((3, 3)))),
    LinkCase('GRU', lambda dtype: _Steps(L.GRU(None, 2, init=initializers.LeCunNormal(
        dtype=dtype))), (Input((3, 3)), Input((3, 3))), name='GRU_lazy', lazy=True),
    LinkCase('StatelessMGU', lambda dtype: L.StatelessMGU(3, 2), (Input((3, 2)), Input((3, 3)))),
    LinkCase('StatefulMGU', _stateful(L.StatefulMGU, 3, 2), (Input((3, 3)), Input((3, 3)))),
    LinkCase('StatefulPeepholeLSTM', _stateful(L.StatefulPeepholeLSTM, 3, 2),
             (Input((3, 3)), Input((3, 3)))),
    # Zoneout ratios of 0 keep every unit: the same numbers on every backend.
    LinkCase('StatefulZoneoutLSTM', _stateful(L.StatefulZoneoutLSTM, 3, 2, 0.0, 0.0),
             (Input((3, 3)), Input((3, 3)))),
    *_n_step_cases('NStepLSTM', 1, 2),
    *_n_step_cases('NStepBiLSTM', 2, 2),
    *_n_step_cases('NStepGRU', 1, 1),
    *_n_step_cases('NStepBiGRU', 2, 1),
    *_n_step_cases('NStepRNNTanh', 1, 1),
    *_n_step_cases('NStepRNNReLU', 1, 1),
    *_n_step_cases('NStepBiRNNTanh', 2, 1),
    *_n_step_cases('NStepBiRNNReLU', 2, 1),
)
