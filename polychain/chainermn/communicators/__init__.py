"""Communicators and :func:`create_communicator`, as ChainerMN's ``chainermn.communicators``."""

from __future__ import annotations

from typing import Any

from polychain.chainermn.communicators.communicator_base import CommunicatorBase

#: The communicators :func:`create_communicator` knows, by name: module and class.
_COMMUNICATORS = {
    'naive': ('naive_communicator', 'NaiveCommunicator'),
    'flat': ('flat_communicator', 'FlatCommunicator'),
    'non_cuda_aware': ('non_cuda_aware_communicator', 'NonCudaAwareCommunicator'),
    'pure_nccl': ('pure_nccl_communicator', 'PureNcclCommunicator'),
}


def create_communicator(communicator_name: str = 'pure_nccl', mpi_comm: Any = None,
                        allreduce_grad_dtype: Any = None,
                        batched_copy: bool = True) -> CommunicatorBase:
    """Creates a ChainerMN communicator.

    Args:
        communicator_name: ``'naive'`` (one MPI allreduce per gradient, through
            the host), ``'flat'`` (all gradients in one MPI allreduce), or
            ``'pure_nccl'`` / ``'non_cuda_aware'`` (NCCL on CuPy arrays; these
            raise ``RuntimeError`` where CuPy's NCCL is not available).
        mpi_comm: An ``mpi4py.MPI.Comm``; ``None`` is ``MPI.COMM_WORLD``.
        allreduce_grad_dtype: The dtype gradients are reduced in (``pure_nccl`` only).
        batched_copy: Whether many arrays are packed in one copy.
    """
    import importlib

    if communicator_name != 'pure_nccl' and allreduce_grad_dtype is not None:
        raise ValueError("allreduce_grad_dtype is only available at 'pure_nccl' communicator.")
    if communicator_name not in _COMMUNICATORS:
        raise ValueError(f'Unrecognized communicator: "{communicator_name}" '
                         f'(known: {", ".join(_COMMUNICATORS)})')
    module_name, class_name = _COMMUNICATORS[communicator_name]
    module = importlib.import_module(f'{__name__}.{module_name}')  # says when mpi4py is missing
    if mpi_comm is None:
        from mpi4py import MPI

        mpi_comm = MPI.COMM_WORLD
    comm = getattr(module, class_name)(mpi_comm=mpi_comm)
    if communicator_name == 'pure_nccl':
        comm.set_config('allreduce_grad_dtype', allreduce_grad_dtype)
    comm.set_config('batched_copy', batched_copy)
    return comm


__all__ = ['CommunicatorBase', 'create_communicator']
