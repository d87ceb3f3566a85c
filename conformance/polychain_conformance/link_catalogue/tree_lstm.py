"""Cases of the TreeLSTM links, with children given and missing (None, zeros)."""

from __future__ import annotations

from typing import Any

import polychain.links as L
from polychain.link import Chain
from polychain_conformance.link_cases import LinkCase
from polychain_conformance.spec import Input


class _MissingFirstChild(Chain):
    """Calls a binary TreeLSTM with the first child's ``c`` and ``h`` as ``None``."""

    def __init__(self, link: Any) -> None:
        super().__init__()
        with self.init_scope():
            self.link = link

    def forward(self, c2: Any, h2: Any, x: Any) -> Any:
        return self.link(None, c2, None, h2, x)


_STATE = Input((3, 2))
_X = Input((3, 4))

LINK_CASES: tuple[LinkCase, ...] = (
    LinkCase('ChildSumTreeLSTM', lambda dtype: L.ChildSumTreeLSTM(4, 2),
             (_STATE, _STATE, _STATE, _STATE, _STATE, _STATE, _X)),
    LinkCase('ChildSumTreeLSTM', lambda dtype: L.ChildSumTreeLSTM(4, 2), (_X,),
             name='ChildSumTreeLSTM_leaf'),
    LinkCase('ChildSumTreeLSTM', lambda dtype: _MissingFirstChild(L.ChildSumTreeLSTM(4, 2)),
             (_STATE, _STATE, _X), name='ChildSumTreeLSTM_missing_child'),
    LinkCase('NaryTreeLSTM', lambda dtype: L.NaryTreeLSTM(4, 2, n_ary=2),
             (_STATE, _STATE, _STATE, _STATE, _X)),
    LinkCase('NaryTreeLSTM', lambda dtype: _MissingFirstChild(L.NaryTreeLSTM(4, 2)),
             (_STATE, _STATE, _X), name='NaryTreeLSTM_missing_child'),
)
