"""``create_multi_node_optimizer``: an optimizer whose update averages gradients over ranks."""

from __future__ import annotations

from typing import Any


class _MultiNodeOptimizer:
    """Wraps ``actual_optimizer``: each update first averages the gradients over all ranks.

    When the set of initialized parameters changes (the first update of a model
    with lazily initialized links, or links added after ``setup``), the update
    broadcasts rank 0's parameters instead, so that every rank starts from the
    same values. Other attributes are those of ``actual_optimizer``.
    """

    def __init__(self, actual_optimizer: Any, communicator: Any, zero_fill: bool) -> None:
        object.__setattr__(self, 'actual_optimizer', actual_optimizer)
        object.__setattr__(self, 'communicator', communicator)
        object.__setattr__(self, 'zero_fill', zero_fill)
        object.__setattr__(self, 'target_params', [])

    def update(self, lossfun: Any = None, *args: Any, **kwds: Any) -> None:
        """As ``Optimizer.update``, with the gradients averaged over all ranks first."""
        target = self.target
        if lossfun is not None:
            loss = lossfun(*args, **kwds)
            if getattr(self.actual_optimizer, '_use_cleargrads', True):
                target.cleargrads()
            else:
                target.zerograds()
            loss.backward(loss_scale=self.actual_optimizer._loss_scale)
            del loss
        if self.is_changed(target):
            self.communicator.bcast_data(target)
        else:
            self.communicator.multi_node_mean_grad(target, self.zero_fill)
            self.actual_optimizer.update(None, *args, **kwds)

    def is_changed(self, target: Any) -> bool:
        """Whether the names or initialized state of the parameters changed since last call."""
        previous = self.target_params
        current = [(name, param.array is not None)
                   for name, param in sorted(target.namedparams(), key=lambda item: item[0])]
        object.__setattr__(self, 'target_params', current)
        return previous != current

    def setup(self, link: Any) -> _MultiNodeOptimizer:
        self.actual_optimizer.setup(link)
        return self

    def __getattr__(self, name: str) -> Any:
        return getattr(self.actual_optimizer, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.actual_optimizer, name, value)


def create_multi_node_optimizer(actual_optimizer: Any, communicator: Any,
                                double_buffering: bool = False,
                                zero_fill: bool = True) -> Any:
    """Creates an optimizer that averages gradients over the ranks of ``communicator``.

    Args:
        actual_optimizer: A polychain optimizer (``optimizers.Adam()``, ...).
        communicator: A ChainerMN communicator.
        double_buffering: Overlap the allreduce with the next step (one step
            stale gradients); as in ChainerMN, only the ``pure_nccl``
            communicator supports it.
        zero_fill: Count a missing gradient as zeros on that rank (otherwise
            every rank must have the same gradients present).
    """
    if double_buffering:
        raise ValueError(
            f'This communicator does not support double buffering: '
            f'{type(communicator).__name__} reduces through the host; ChainerMN supports '
            f"it with the 'pure_nccl' communicator only, and polychain not yet")
    return _MultiNodeOptimizer(actual_optimizer, communicator, zero_fill)
