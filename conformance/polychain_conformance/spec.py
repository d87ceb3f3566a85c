"""The vocabulary of the catalogue: arguments, tolerances, cases and their variants."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy

#: The Variable operators the catalogue covers, by the name cases use for them.
OPERATORS: Mapping[str, Callable[..., Any]] = {
    '+': operator.add,
    '-': operator.sub,
    '*': operator.mul,
    '/': operator.truediv,
    '**': operator.pow,
    '@': operator.matmul,
    'neg': operator.neg,
    'abs': abs,
}

#: Floating dtypes the suite knows, in the order reports list them.
DTYPES = ('float16', 'float32', 'float64')

LAYOUTS = ('contiguous', 'strided')


@dataclass(frozen=True)
class Input:
    """A floating-point array argument, drawn at random in the case's dtype.

    Args:
        shape: Its shape.
        low: Lower end of the uniform range of its values.
        high: Upper end of that range.
        gap: Values in ``(-gap, gap)`` are left out (keeps a kink at 0 out of reach
            of the numerical differences); the range must contain ``[-gap, gap]``.
        differentiable: Whether its gradient is checked.
        raw: Pass the array itself rather than a Variable (a constant operand).
        keyword: Pass it as this keyword argument instead of positionally.
    """

    shape: tuple[int, ...]
    low: float = -1.0
    high: float = 1.0
    gap: float = 0.0
    differentiable: bool = True
    raw: bool = False
    keyword: str | None = None

    def draw(self, rng: numpy.random.Generator) -> numpy.ndarray:
        """Values in float64 with the range and gap of this input."""
        if not self.gap:
            return rng.uniform(self.low, self.high, self.shape)
        values = rng.uniform(self.low, self.high - 2 * self.gap, self.shape)
        return numpy.where(values < -self.gap, values, values + 2 * self.gap)

    @property
    def is_variable(self) -> bool:
        """Whether it reaches the function as a Variable (and so is checked by gradients)."""
        return not self.raw


@dataclass(frozen=True)
class ArrayConstant:
    """Fixed values that become an array on the device under test (index arrays, masks).

    Args:
        values: Nested lists of the values.
        dtype: Their NumPy dtype name (``'int64'``, ``'bool'``).
    """

    values: Any
    dtype: str = 'int64'

    def host(self) -> numpy.ndarray:
        """The values as a host array."""
        return numpy.asarray(self.values, dtype=self.dtype)


@dataclass(frozen=True)
class Arg:
    """A positional argument passed as it is: a scalar, a shape, an index expression.

    :class:`ArrayConstant` entries inside tuples and lists become arrays on the
    device under test.
    """

    value: Any


@dataclass(frozen=True)
class DeviceUnderTest:
    """An argument that is the :class:`~polychain.backend.Device` under test (``copy(x, dst)``).

    The reference receives this marker itself.
    """


@dataclass(frozen=True)
class SameAs:
    """The argument at position ``index`` passed again (the same Variable: ``x * x``)."""

    index: int


@dataclass(frozen=True)
class Tolerance:
    """Tolerances of one dtype.

    Args:
        forward_atol: Absolute tolerance of outputs against the reference.
        forward_rtol: Relative tolerance of outputs against the reference.
        backward_atol: Absolute tolerance of gradient checks (first and second order).
        backward_rtol: Relative tolerance of gradient checks.
        eps: Step of the numerical differences.
    """

    forward_atol: float
    forward_rtol: float
    backward_atol: float
    backward_rtol: float
    eps: float


DEFAULT_TOLERANCES: Mapping[str, Tolerance] = {
    'float16': Tolerance(1e-3, 1e-2, 1e-2, 1e-2, 1e-3),
    'float32': Tolerance(1e-6, 1e-5, 1e-4, 1e-3, 1e-3),
    'float64': Tolerance(1e-12, 1e-10, 1e-7, 1e-6, 1e-4),
}


@dataclass(frozen=True)
class Case:
    """One call of a public function, checked on every device and dtype.

    Args:
        function: A name in ``polychain.functions.__all__``, or a Variable
            operator from :data:`OPERATORS` (``'+'``, ``'neg'``, ...).
        args: The positional arguments: :class:`Input`, :class:`Arg`,
            :class:`ArrayConstant` or :class:`SameAs`; keyword inputs too.
        reference: Plain NumPy computing the expected output from the same
            arguments in float64 (inputs as arrays, constants as they are).
        name: Unique name of the case (defaults to ``function``).
        kwargs: Keyword arguments passed to both the function and the reference.
        dtypes: The dtypes it is run in.
        tolerances: Per-dtype overrides of :data:`DEFAULT_TOLERANCES`.
        double_backprop: Whether the function claims second-order gradients.
        strided: Also run it with non-contiguous (strided) inputs.
        forward_only: The function has no gradient (evaluation functions): only the
            forward, output, unmodified-input and cross-device checks run.
        output_dtypes: Per output, its dtype name (``'int64'`` for counts) or ``None``
            for the case's dtype; ``None`` when all outputs have the case's dtype.
        pack_leading: The first ``pack_leading`` positional arguments reach the
            function and the reference as one list (``concat(xs)``, ``stack(xs)``).
        arrange: Regroups the positional arguments (a list, after ``pack_leading``)
            into those the function and the reference receive, for arguments nested
            deeper than one list (``n_step_lstm``'s ``ws[layer][j]``). Outputs nested
            in tuples and lists are flattened in order.
        outputs: Picks, from what the function returns, the outputs that are checked
            (for functions that also return plain index arrays, such as
            ``argmax_crf1d``'s best paths); the reference returns those only.
        warns: The warning the function emits on purpose (a deprecated function's
            ``DeprecationWarning``): the cell calls it with that warning silenced.
    """

    function: str
    args: tuple[Any, ...]
    reference: Callable[..., Any]
    name: str = ''
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    dtypes: tuple[str, ...] = DTYPES
    tolerances: Mapping[str, Tolerance] = field(default_factory=dict)
    double_backprop: bool = True
    strided: bool = False
    forward_only: bool = False
    output_dtypes: tuple[str | None, ...] | None = None
    pack_leading: int = 0
    arrange: Callable[[list[Any]], list[Any]] | None = None
    outputs: Callable[[Any], Any] | None = None
    warns: type[Warning] | None = None

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, 'name', self.function)
        unknown = set(self.dtypes) - set(DTYPES)
        if unknown:
            raise ValueError(f'Case {self.name!r}: expected dtypes among {DTYPES}, received '
                             f'{sorted(unknown)}')

    def tolerance(self, dtype: str) -> Tolerance:
        """The tolerances of ``dtype`` for this case."""
        return self.tolerances.get(dtype, DEFAULT_TOLERANCES[dtype])

    @property
    def label(self) -> str:
        """How reports name the function under test."""
        return f'Variable operator {self.function}' if self.function in OPERATORS \
            else f'F.{self.function}'


@dataclass(frozen=True)
class Variant:
    """A case in one memory layout of its inputs."""

    case: Case
    layout: str = 'contiguous'

    @property
    def id(self) -> str:
        """``name`` or ``name[strided]``."""
        return self.case.name if self.layout == 'contiguous' else \
            f'{self.case.name}[{self.layout}]'

    # A variant runs as a case of its own in a CaseSuite: named by its id.
    name = id

    @property
    def label(self) -> str:
        """The function under test, as reports name it."""
        return self.case.label

    @property
    def dtypes(self) -> tuple[str, ...]:
        """The dtypes of the case."""
        return self.case.dtypes
