"""ChainerMN's API: data-parallel training over MPI (mpi4py), as ``chainermn``.

Run a script under ``mpiexec -n N``; each process creates a communicator with
:func:`create_communicator` and wraps its optimizer with
:func:`create_multi_node_optimizer`. Needs mpi4py and an MPI implementation
(``pip install 'polychain[mpi]'``).
"""

from polychain.chainermn import communicators, global_except_hook
from polychain.chainermn.communicators import CommunicatorBase, create_communicator

__all__ = [
    'CommunicatorBase', 'communicators', 'create_communicator', 'global_except_hook',
]
