"""The kernels a backend may provide: each declared once, with its signature and contract.

A backend's :attr:`~polychain.backend.Backend.kernels` maps some of these names
to fast implementations; :meth:`~polychain.backend.Device.kernel` returns one,
or ``None``, and the caller then runs the generic Array API implementation
named in the declaration. A kernel returns a new array and never writes into
its arguments; elementwise kernels return the dtype of their (last) array
argument. Call sites and plugin tables use the constants below (each the
kernel's name, a plain ``str``), never the bare names, so that every kernel has
this one home; :data:`DECLARED` gives each one's :class:`Kernel` contract.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Array = Any
Ints = tuple[int, ...]
Padding = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Kernel:
    """The contract of one kernel, as declared below.

    Attributes:
        name: The kernel's name, the key of the backends' tables.
        signature: The parameters a backend's implementation is called with.
        doc: What it computes.
    """

    name: str
    signature: inspect.Signature
    doc: str


#: Every declared kernel, by name.
DECLARED: dict[str, Kernel] = {}


def declare(declaration: Callable[..., Any], name: str = '', doc: str = '') -> str:
    """Declares the kernel of ``declaration``'s signature (its name and docstring unless
    ``name`` and ``doc`` are given) and returns the name.

    The name is a plain ``str``, so that looking a kernel up in a backend's table is the
    fastest dict lookup there is.
    """
    kernel = Kernel(sys.intern(name or declaration.__name__), inspect.signature(declaration),
                    doc or declaration.__doc__ or '')
    DECLARED[kernel.name] = kernel
    return kernel.name


def check_table(table: Mapping[str, Callable[..., Any]]) -> None:
    """Checks a backend's kernel table against the declarations.

    Raises:
        ValueError: A name is not a declared kernel.
        TypeError: An implementation cannot be called with its kernel's parameters.
    """
    for name, implementation in table.items():
        kernel = DECLARED.get(name)
        if kernel is None:
            raise ValueError(f'kernel table: {name!r} is not a declared kernel; declared: '
                             f'{", ".join(sorted(DECLARED))}')
        try:
            parameters = inspect.signature(implementation).parameters.values()
        except ValueError:  # a builtin or ufunc without a signature
            continue
        if any(p.kind == p.VAR_POSITIONAL for p in parameters):
            continue
        positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY,
                                                          p.POSITIONAL_OR_KEYWORD)]
        required = [p for p in positional if p.default is p.empty]
        arity = len(kernel.signature.parameters)
        if not len(required) <= arity <= len(positional):
            raise TypeError(f'kernel table: {name!r} takes {len(required)} to '
                            f'{len(positional)} arguments, but the kernel is called with '
                            f'{arity}: {name}{kernel.signature}')


# -- windows (generic: polychain.utils.windows) -------------------------------------------


@declare
def im2col_nd(x: Array, ksize: Ints, stride: Ints, dilate: Ints) -> Array:
    """The windows of ``x`` ``(N, C, *spatial)``, already padded, as
    ``(N, C, *ksize, *out_size)``."""


@declare
def window_sum_nd(x: Array, ksize: Ints, stride: Ints) -> Array:
    """The sum of each window of ``x`` ``(N, C, *spatial)``, already padded, as
    ``(N, C, *out_size)``."""


# -- convolution (generic: polychain.functions.connection.convolution_compute) ------------


@declare
def convolution_nd(x: Array, W: Array, stride: Ints, padding: Padding,  # noqa: N803
                   dilate: Ints, groups: int) -> Array:
    """The convolution of ``x`` ``(N, C, *in)`` by ``W`` ``(O, C / groups, *k)``, ``x``
    padded by ``padding`` (before, after) per axis, as ``(N, O, *out)``."""


@declare
def deconvolution_nd(x: Array, W: Array, stride: Ints, pad: Ints, outsize: Ints,  # noqa: N803
                     dilate: Ints, groups: int) -> Array:
    """The transposed convolution of ``x`` ``(N, C, *in)`` by ``W`` ``(C, O / groups, *k)``,
    cropped by ``pad`` on both sides, as ``(N, O, *outsize)``."""


@declare
def convolution_filter_grad_nd(x: Array, gy: Array, ksize: Ints, stride: Ints,
                               padding: Padding, dilate: Ints, groups: int) -> Array:
    """The filter gradient ``(O, C / groups, *ksize)`` of :data:`convolution_nd` of ``x``
    ``(N, C, *in)``, given the output gradient ``gy`` ``(N, O, *out)``."""


# -- strided views (generic: polychain.functions.array.as_strided) ------------------------


@declare
def array_storage(x: Array) -> tuple[Array, Ints, int]:
    """The 1-D storage under ``x``, with the strides and offset of ``x`` over it in elements
    (the memory ``x`` views where there is one, else ``x`` flattened)."""


@declare
def strided_view(storage: Array, shape: Ints, strides: Ints, offset: int) -> Array:
    """The elements of the 1-D ``storage`` at ``shape``, ``strides`` and ``offset`` (in
    elements), a view where the library has them."""


# -- special functions (generic: polychain.functions.math.special_generic) ----------------


def _elementwise(x: Array) -> Array:
    """The signature of the elementwise kernels of one array."""


erf = declare(_elementwise, 'erf', 'The Gauss error function.')
erfc = declare(_elementwise, 'erfc', 'The complementary error function ``1 - erf(x)``.')
erfinv = declare(_elementwise, 'erfinv', 'The inverse of :data:`erf`.')
erfcinv = declare(_elementwise, 'erfcinv', 'The inverse of :data:`erfc`.')
erfcx = declare(_elementwise, 'erfcx', 'The scaled complementary error function '
               '``exp(x**2) * erfc(x)``.')
lgamma = declare(_elementwise, 'lgamma', 'The logarithm of the absolute value of the gamma '
                'function.')
digamma = declare(_elementwise, 'digamma', 'The derivative of :data:`lgamma`.')
ndtr = declare(_elementwise, 'ndtr', 'The standard normal cumulative distribution function.')
ndtri = declare(_elementwise, 'ndtri', 'The inverse of :data:`ndtr`.')
log_ndtr = declare(_elementwise, 'log_ndtr', 'The logarithm of :data:`ndtr`, accurate for very '
                  'negative ``x``.')


@declare
def polygamma(n: Any, x: Array) -> Array:
    """The ``n``-th derivative of :data:`digamma` (``n``: an int or an integer array)."""


@declare
def zeta(x: Array, q: Array) -> Array:
    """The Hurwitz zeta function ``sum((k + q) ** -x for k >= 0)``."""


# -- library state (no generic) --------------------------------------------------------


@declare
def cudnn_dropout_states(seed: int) -> Any:
    """New cuDNN dropout states on the current GPU, seeded with ``seed``
    (``chainer.backends.cuda.get_cudnn_dropout_states_core``)."""

