"""FailOnNonNumber: stops training when a parameter (or gradient) is NaN or infinite."""

from __future__ import annotations

from typing import Any

from polychain.training.extension import Extension


class FailOnNonNumber(Extension):
    """Raises ``RuntimeError`` when a parameter of an optimizer's target is not finite.

    It reads every parameter back from its device, so it costs a host
    synchronisation per call.

    Args:
        check_grad: Also check the gradients.
    """

    def __init__(self, check_grad: bool = True) -> None:
        self._check_grad = check_grad

    def __call__(self, trainer: Any) -> None:
        for name, optimizer in trainer.updater.get_all_optimizers().items():
            for path, param in optimizer.target.namedparams(include_uninit=False):
                if not _all_finite(param.array):
                    raise RuntimeError(f"FailOnNonNumber: the parameter {path} of optimizer "
                                       f"'{name}' is not finite (NaN or infinity); training "
                                       f'diverged')
                if self._check_grad and param.grad is not None and not _all_finite(param.grad):
                    raise RuntimeError(f"FailOnNonNumber: the gradient of {path} in optimizer "
                                       f"'{name}' is not finite (NaN or infinity); training "
                                       f'diverged')


def _all_finite(array: Any) -> bool:
    from polychain.backend.registry import get_device_from_array
    xp = get_device_from_array(array).namespace
    return bool(xp.all(xp.isfinite(array)))
