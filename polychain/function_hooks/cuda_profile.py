"""CUDAProfileHook: NVTX ranges around each function, for NVIDIA's profilers."""

from __future__ import annotations

from typing import Any

from polychain.backends import cuda
from polychain.function_hooks.function_hook import FunctionHook


class CUDAProfileHook(FunctionHook):
    """Marks each forward and backward as an NVTX range named ``'<label>.forward'``/``.backward``.

    The ranges show in NVIDIA's profilers (Nsight Systems, nvprof). Needs CuPy
    built with NVTX.

    Raises:
        RuntimeError: CuPy is not usable here, or it has no NVTX.
    """

    name = 'CUDAProfileHook'

    def __init__(self) -> None:
        cuda.check_cuda_available()
        if not cuda.cupy.cuda.nvtx_enabled:
            raise RuntimeError('CUDAProfileHook: CuPy was built without NVTX, which the hook '
                               'needs')

    def forward_preprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        cuda.cupy.cuda.nvtx.RangePush(function.label + '.forward')

    def forward_postprocess(self, function: Any, in_data: tuple[Any, ...]) -> None:
        cuda.cupy.cuda.nvtx.RangePop()

    def backward_preprocess(self, function: Any, in_data: tuple[Any, ...],
                            out_grad: tuple[Any, ...]) -> None:
        cuda.cupy.cuda.nvtx.RangePush(function.label + '.backward')

    def backward_postprocess(self, function: Any, in_data: tuple[Any, ...],
                             out_grad: tuple[Any, ...]) -> None:
        cuda.cupy.cuda.nvtx.RangePop()
