"""The batch renormalization layer."""

from __future__ import annotations

from typing import Any

from polychain.functions.normalization.batch_renormalization import batch_renormalization
from polychain.links.normalization.batch_normalization import BatchNormalization
from polychain.variable import Variable


class BatchRenormalization(BatchNormalization):
    """Batch renormalization layer: batch normalization corrected toward running statistics.

    In training mode it applies :func:`~polychain.functions.batch_renormalization`
    and replaces ``avg_mean`` and ``avg_var`` with their new values; otherwise it
    normalizes by them, as :class:`BatchNormalization` does.

    Args:
        size: Channel shape (an int or a tuple).
        rmax: Upper bound of the scale correction ``r`` (lower bound ``1 / rmax``).
        dmax: Bound of the shift correction ``|d|``.
        decay: Decay rate of the running averages.
        eps: Added to the variance.
        dtype: Dtype of the parameters and statistics (default ``config.dtype``).
        use_gamma: Learn a scale ``gamma``.
        use_beta: Learn a shift ``beta``.
        initial_gamma: Initializer of ``gamma`` (default 1).
        initial_beta: Initializer of ``beta`` (default 0).
        initial_avg_mean: Initializer of ``avg_mean`` (default 0).
        initial_avg_var: Initializer of ``avg_var`` (default 1).
    """

    def __init__(self, size: Any, rmax: float = 1, dmax: float = 0, decay: float = 0.9,
                 eps: float = 2e-5, dtype: Any = None, use_gamma: bool = True,
                 use_beta: bool = True, initial_gamma: Any = None, initial_beta: Any = None,
                 initial_avg_mean: Any = None, initial_avg_var: Any = None) -> None:
        super().__init__(size, decay, eps, dtype, use_gamma, use_beta, initial_gamma,
                         initial_beta, initial_avg_mean=initial_avg_mean,
                         initial_avg_var=initial_avg_var)
        self.rmax = rmax
        self.dmax = dmax

    def _normalize_batch(self, x: Any, gamma: Any, beta: Any, decay: float, running_mean: Any,
                         running_var: Any) -> tuple[Variable, Any, Any]:
        return batch_renormalization(x, gamma, beta, self.rmax, self.dmax, self.eps,
                                     running_mean, running_var, decay,
                                     update_statistics=True, return_statistics=True)
