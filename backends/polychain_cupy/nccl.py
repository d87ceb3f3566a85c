"""NCCL through CuPy (``cupy.cuda.nccl``): what ChainerMN's ``pure_nccl`` communicator needs.

The CuPy backend exposes this module as ``CupyBackend.nccl``; the core never
imports CuPy itself.
"""

from __future__ import annotations

from typing import Any

import numpy

try:
    from cupy.cuda import nccl as module
except Exception as error:  # ImportError, or CUDA libraries that fail to load
    module = None
    reason = f'NCCL is not available: cupy.cuda.nccl cannot be imported ({error})'
else:
    reason = ''

#: NCCL's names of the dtypes gradients may be reduced in.
NCCL_TYPES = {'float16': 'NCCL_FLOAT16', 'float32': 'NCCL_FLOAT32', 'float64': 'NCCL_FLOAT64'}


def allreduce_sum(communicator: Any, buffer: numpy.ndarray, dtype: Any) -> None:
    """Sums the host ``buffer`` over the ranks of an NCCL ``communicator`` on the current
    GPU, in ``dtype``, and writes the result back into ``buffer``."""
    import cupy

    on_gpu = cupy.asarray(buffer, dtype=dtype)
    communicator.allReduce(on_gpu.data.ptr, on_gpu.data.ptr, on_gpu.size,
                           getattr(module, NCCL_TYPES[numpy.dtype(dtype).name]),
                           module.NCCL_SUM, cupy.cuda.get_current_stream().ptr)
    buffer[...] = cupy.asnumpy(on_gpu)
