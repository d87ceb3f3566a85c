"""Rank bookkeeping and chunked object broadcast over an mpi4py communicator."""

from __future__ import annotations

import pickle
from typing import Any

import numpy

#: The largest count one MPI call takes (a C ``int``).
INT_MAX = 2**31 - 1


def init_ranks(mpi_comm: Any) -> list[int]:
    """This process's ``[global_rank, intra_rank, intra_size, inter_rank, inter_size]``.

    Processes on the same host (same ``MPI.Get_processor_name()``) form a node;
    nodes are numbered in the order of their lowest global rank.
    """
    from mpi4py import MPI

    names = mpi_comm.allgather(MPI.Get_processor_name())
    nodes: dict[str, list[int]] = {}
    for global_rank, name in enumerate(names):
        nodes.setdefault(name, []).append(global_rank)
    my_name = names[mpi_comm.rank]
    node_ranks = nodes[my_name]
    inter_rank = list(nodes).index(my_name)  # dicts keep first-seen order: lowest rank first
    return [mpi_comm.rank, node_ranks.index(mpi_comm.rank), len(node_ranks),
            inter_rank, len(nodes)]


def chunked_bcast_obj(obj: Any, mpi_comm: Any, max_buf_len: int = 256 * 1024 * 1024,
                      root: int = 0) -> Any:
    """Broadcasts a picklable ``obj`` from ``root`` in chunks of at most ``max_buf_len`` bytes.

    MPI counts are C ``int``s, so a pickle larger than ``INT_MAX`` bytes cannot
    travel in one call; ``max_buf_len`` must lie in ``(0, INT_MAX)``.
    """
    assert 0 < max_buf_len < INT_MAX, f'max_buf_len must lie in (0, INT_MAX), got {max_buf_len}'
    if mpi_comm.rank == root:
        payload = numpy.frombuffer(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL),
                                   dtype=numpy.uint8)
        size = mpi_comm.bcast(payload.size, root=root)
    else:
        size = mpi_comm.bcast(None, root=root)
        payload = numpy.empty(size, dtype=numpy.uint8)
    for start in range(0, size, max_buf_len):
        chunk = payload[start:start + max_buf_len]
        mpi_comm.Bcast(chunk, root=root)
    if mpi_comm.rank == root:
        return obj
    return pickle.loads(payload.tobytes())
