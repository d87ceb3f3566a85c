"""ChainerMN's API: data-parallel training over MPI (mpi4py), as ``chainermn``.

Run a script under ``mpiexec -n N``; each process creates a communicator with
:func:`create_communicator` and wraps its optimizer with
:func:`create_multi_node_optimizer`. Needs mpi4py and an MPI implementation
(``pip install 'polychain[mpi]'``).
"""

from polychain.chainermn import (
    communicators,
    datasets,
    extensions,
    functions,
    global_except_hook,
    iterators,
    links,
    optimizers,
)
from polychain.chainermn.communicators import CommunicatorBase, create_communicator
from polychain.chainermn.datasets import create_empty_dataset, scatter_dataset, scatter_index
from polychain.chainermn.extensions import (
    create_multi_node_checkpointer,
    create_multi_node_evaluator,
)
from polychain.chainermn.iterators import (
    create_multi_node_iterator,
    create_synchronized_iterator,
)
from polychain.chainermn.links import MultiNodeChainList
from polychain.chainermn.optimizers import create_multi_node_optimizer

__all__ = [
    'CommunicatorBase', 'MultiNodeChainList', 'communicators', 'create_communicator',
    'create_empty_dataset', 'create_multi_node_checkpointer', 'create_multi_node_evaluator',
    'create_multi_node_iterator', 'create_multi_node_optimizer',
    'create_synchronized_iterator', 'datasets', 'extensions', 'functions', 'global_except_hook',
    'iterators', 'links', 'optimizers', 'scatter_dataset', 'scatter_index',
]
