"""Static sub-graphs (Chainer's ``chainer.graph_optimizations``).

:func:`~polychain.graph_optimizations.static_graph.static_graph` marks a
chain's ``__call__`` as a static graph and
:func:`~polychain.graph_optimizations.static_graph_utilities.static_code`
marks code that must run on every call of such a chain. polychain runs both
eagerly: a static chain computes exactly what its define-by-run code computes,
on every backend; the decorators keep Chainer's arguments and bookkeeping
(``chain.schedule_manager``, ``chain.static_schedule``) so that Chainer code
runs unchanged.
"""

from polychain.graph_optimizations import static_graph, static_graph_utilities
from polychain.graph_optimizations.static_graph_utilities import static_code

__all__ = ['static_code', 'static_graph', 'static_graph_utilities']
