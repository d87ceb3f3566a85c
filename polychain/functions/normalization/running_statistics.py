"""Running averages of batch statistics, updated in place where the backend allows it."""

from __future__ import annotations

import warnings
from typing import Any


def update_running_statistics(xp: Any, running_mean: Any, running_var: Any, mean: Any,
                              var: Any, decay: float, count: int) -> tuple[Any, Any]:
    """The running mean and variance after one more batch.

    ``decay * running + (1 - decay) * batch``, where the batch variance is
    made unbiased (multiplied by ``count / (count - 1)``). As in Chainer, the
    new values are written into ``running_mean`` and ``running_var`` when the
    backend's arrays are mutable; on backends with immutable arrays (JAX)
    new arrays are made. Either way the arrays holding the new values are
    returned, in the running statistics' dtypes.

    Args:
        xp: The Array API namespace of the arrays.
        running_mean: The running mean before the batch.
        running_var: The running variance before the batch.
        mean: The batch mean, of any shape with as many elements as ``running_mean``.
        var: The biased batch variance, shaped like ``mean``.
        decay: Weight of the old running values.
        count: How many values each statistic of the batch averaged; an empty
            batch (0) leaves the running values as they are.
    """
    if count == 0:
        return running_mean, running_var
    adjust = count / max(count - 1.0, 1.0)
    shape = tuple(running_mean.shape)
    mean_term = xp.astype(xp.reshape(mean, shape) * (1.0 - decay), running_mean.dtype)
    var_term = xp.astype(xp.reshape(var, shape) * ((1.0 - decay) * adjust), running_var.dtype)
    # Augmented assignments write into mutable arrays and rebind immutable ones.
    running_mean *= decay
    running_mean += mean_term
    running_var *= decay
    running_var += var_term
    return running_mean, running_var


def warn_unless_updated(function: str, given: tuple[Any, Any], updated: tuple[Any, Any]) -> None:
    """Warns when the running statistics could not be written into the arrays given.

    The caller then loses the new values unless it asked for them to be returned.
    """
    if given[0] is not updated[0] or given[1] is not updated[1]:
        warnings.warn(f'{function}: running_mean and running_var are arrays of a backend that '
                      f'cannot write into them; pass return_statistics=True to receive the '
                      f'updated arrays', stacklevel=3)


def warn_single_sample(function: str, count: int) -> None:
    """Warns, as Chainer does, when each statistic averages no more than one value."""
    if count <= 1:
        warnings.warn(f'{function}: a batch with no more than one sample per statistic has '
                      f'been given; the variance is zero and the output is the shift beta',
                      UserWarning, stacklevel=3)
