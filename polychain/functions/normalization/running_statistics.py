"""Running averages of batch statistics, computed as new arrays (never written in place)."""

from __future__ import annotations

from typing import Any


def updated_running_statistics(xp: Any, running_mean: Any, running_var: Any, mean: Any,
                               var: Any, decay: float, count: int) -> tuple[Any, Any]:
    """The running mean and variance after one more batch.

    ``decay * running + (1 - decay) * batch``, where the batch variance is
    made unbiased (multiplied by ``count / (count - 1)``).

    Args:
        xp: The Array API namespace of the arrays.
        running_mean: The running mean before the batch.
        running_var: The running variance before the batch.
        mean: The batch mean, of any shape with as many elements as ``running_mean``.
        var: The biased batch variance, shaped like ``mean``.
        decay: Weight of the old running values.
        count: How many values each statistic of the batch averaged.
    """
    adjust = count / max(count - 1.0, 1.0)
    shape = tuple(running_mean.shape)
    new_mean = running_mean * decay + xp.reshape(mean, shape) * (1.0 - decay)
    new_var = running_var * decay + xp.reshape(var, shape) * ((1.0 - decay) * adjust)
    # The running statistics keep their dtype whatever the batch's.
    return xp.astype(new_mean, running_mean.dtype), xp.astype(new_var, running_var.dtype)
