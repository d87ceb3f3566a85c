"""MultiNodeBatchNormalization: batch normalization over the batches of all ranks."""

from __future__ import annotations

from typing import Any

from polychain.chainermn.functions.batch_normalization import multi_node_batch_normalization
from polychain.links.normalization.batch_normalization import BatchNormalization
from polychain.variable import Variable

_BACKENDS = ('auto', 'mpi', 'nccl')


def _check_backend(comm: Any, communication_backend: str) -> None:
    from polychain.chainermn.communicators.pure_nccl_communicator import PureNcclCommunicator

    if communication_backend not in _BACKENDS:
        raise ValueError(f'MultiNodeBatchNormalization: communication_backend must be one of '
                         f'{_BACKENDS}, received {communication_backend!r}')
    if communication_backend == 'nccl' and not isinstance(comm, PureNcclCommunicator):
        raise ValueError('MultiNodeBatchNormalization: the nccl communication backend needs a '
                         f'PureNcclCommunicator, received {type(comm).__name__}')


class MultiNodeBatchNormalization(BatchNormalization):
    """Batch normalization whose training statistics cover the batches of every rank.

    In training mode the mean and variance are those of the concatenation of
    all ranks' batches (and so are the running averages, identical on every
    rank); the other modes are :class:`polychain.links.BatchNormalization`'s.
    Every rank must call it the same number of times, forward and backward.

    Args:
        size: Channel shape (an int or a tuple).
        comm: The ChainerMN communicator.
        decay: Decay rate of the running averages.
        eps: Added to the variance.
        dtype: Dtype of the parameters and statistics.
        use_gamma: Learn a scale ``gamma``.
        use_beta: Learn a shift ``beta``.
        initial_gamma: Initializer of ``gamma``.
        initial_beta: Initializer of ``beta``.
        communication_backend: ``'mpi'``, ``'nccl'`` (a ``PureNcclCommunicator``
            only) or ``'auto'``; statistics go through the communicator's
            ``allreduce`` in every case.

    Raises:
        ValueError: ``communication_backend`` is unknown, or ``'nccl'`` without NCCL.
    """

    def __init__(self, size: Any, comm: Any, decay: float = 0.9, eps: float = 2e-5,
                 dtype: Any = None, use_gamma: bool = True, use_beta: bool = True,
                 initial_gamma: Any = None, initial_beta: Any = None,
                 communication_backend: str = 'auto') -> None:
        _check_backend(comm, communication_backend)
        super().__init__(size, decay=decay, eps=eps, dtype=dtype, use_gamma=use_gamma,
                         use_beta=use_beta, initial_gamma=initial_gamma,
                         initial_beta=initial_beta)
        self.comm = comm
        self.communication_backend = communication_backend

    def __deepcopy__(self, memo: dict[int, Any]) -> MultiNodeBatchNormalization:
        memo.setdefault(id(self.comm), self.comm)  # copies share the process's communicator
        return super().__deepcopy__(memo)

    def _normalize_batch(self, x: Any, gamma: Any, beta: Any, decay: float, running_mean: Any,
                         running_var: Any) -> tuple[Variable, Any, Any]:
        return multi_node_batch_normalization(x, gamma, beta, self.comm, self.eps, running_mean,
                                              running_var, decay, self.axis)
