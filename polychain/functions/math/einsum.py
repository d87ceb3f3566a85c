"""einsum: Einstein summation on Variables, with ellipsis, diagonals and NumPy's integer form.

The forward contracts the operands pairwise with matrix products. The gradient
of an operand is itself a summation, a :class:`DiagEinSum`: the other operands
and the output gradient summed into the operand's subscript, whose repeated
indices place values on a diagonal and whose indices found in no input are
broadcast. Unlike NumPy, the dimensions an ellipsis stands for must have the
same lengths in every operand (no broadcasting).
"""

from __future__ import annotations

import operator
import string
from collections.abc import Sequence
from typing import Any

from polychain.function_node import FunctionNode
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable

# NumPy's integer subscripts 0-25 are 'A'-'Z' and 26-51 'a'-'z', so that the
# implicit output, sorted by character, is sorted by integer too.
_LABELS = string.ascii_uppercase + string.ascii_lowercase


def _unique(term: str) -> str:
    return ''.join(dict.fromkeys(term))


def _product(values: Sequence[int]) -> int:
    total = 1
    for v in values:
        total *= v
    return total


class EinSum(FunctionNode):
    """The sum over the indices absent from ``out_sub`` of the operands' products.

    Args:
        in_subs: The operands' subscripts joined by commas (letters only).
        out_sub: The output's subscript.
    """

    def __init__(self, in_subs: str, out_sub: str) -> None:
        self.in_subs = in_subs
        self.out_sub = out_sub
        self.out_shape: tuple[int, ...] | None = None

    def _terms(self) -> list[str]:
        return self.in_subs.split(',')

    def _sizes(self, shapes: Sequence[tuple[int, ...]]) -> dict[str, int]:
        """The length of each index; InvalidType where operands disagree."""
        terms = self._terms()
        if len(terms) != len(shapes):
            raise InvalidType(f'{len(terms)} operands for {self.in_subs!r}',
                              f'{len(shapes)} operands')
        sizes: dict[str, int] = {}
        for term, shape in zip(terms, shapes):
            if len(term) != len(shape):
                raise InvalidType(f'an operand of {len(term)} dimensions for {term!r}',
                                  f'shape {tuple(shape)}')
            for c, n in zip(term, shape):
                if sizes.setdefault(c, n) != n:
                    raise InvalidType(f'index {c!r} of the same length in every operand',
                                      f'lengths {sizes[c]} and {n} in {self.in_subs!r}')
        if self.out_shape is not None:
            for c, n in zip(self.out_sub, self.out_shape):
                sizes.setdefault(c, n)
        return sizes

    def check_type_forward(self, in_types):
        self._sizes([tuple(t.shape) for t in in_types])

    def forward(self, inputs):
        self.retain_inputs(tuple(range(len(inputs))))
        xp = self.xp
        sizes = self._sizes([tuple(x.shape) for x in inputs])
        operands = [_take_diagonals(xp, x, term) for x, term in zip(inputs, self._terms())]
        out = set(self.out_sub)
        y, sy = operands[0]
        for i in range(1, len(operands)):
            keep = out.union(*(s for _, s in operands[i + 1:]))
            y, sy = _contract(xp, (y, sy), operands[i], keep, sizes)
        y, sy = _sum_out(xp, y, sy, out)
        y = _place(xp, y, sy, self.out_sub, sizes, self.device.native)
        if any(y is x for x in inputs):
            y = xp.asarray(y, copy=True)
        return y,

    def backward(self, indexes, grad_outputs):
        xs = self.get_retained_inputs()
        terms = self._terms()
        grads = []
        for i in indexes:
            others = [x for j, x in enumerate(xs) if j != i]
            subs = [s for j, s in enumerate(terms) if j != i] + [self.out_sub]
            node = DiagEinSum(','.join(subs), terms[i], tuple(xs[i].shape))
            grads.append(node.apply(others + [grad_outputs[0]])[0])
        return tuple(grads)


class DiagEinSum(EinSum):
    """An :class:`EinSum` whose output may repeat indices (a diagonal, zero elsewhere)
    or hold indices found in no input (broadcast to their length in ``out_shape``).

    Args:
        in_subs: The operands' subscripts joined by commas.
        out_sub: The output's subscript.
        out_shape: The output's shape.
    """

    def __init__(self, in_subs: str, out_sub: str, out_shape: Sequence[int]) -> None:
        super().__init__(in_subs, out_sub)
        self.out_shape = tuple(out_shape)


def _take_diagonals(xp: Any, x: Any, term: str) -> tuple[Any, str]:
    """``x`` reduced to the diagonal of every index its ``term`` repeats."""
    while len(_unique(term)) != len(term):
        c = next(c for c in term if term.count(c) > 1)
        first = term.index(c)
        second = term.index(c, first + 1)
        rest = [i for i in range(len(term)) if i not in (first, second)]
        n = x.shape[first]
        x = xp.reshape(xp.permute_dims(x, (*rest, first, second)),
                       tuple(x.shape[i] for i in rest) + (n * n,))
        x = x[..., ::n + 1]
        term = ''.join(term[i] for i in rest) + c
    return x, term


def _sum_out(xp: Any, x: Any, term: str, keep: set[str]) -> tuple[Any, str]:
    """``x`` summed over the indices of ``term`` not in ``keep``."""
    dropped = tuple(i for i, c in enumerate(term) if c not in keep)
    if not dropped:
        return x, term
    return xp.sum(x, axis=dropped), ''.join(c for c in term if c in keep)


def _contract(xp: Any, a: tuple[Any, str], b: tuple[Any, str], keep: set[str],
              sizes: dict[str, int]) -> tuple[Any, str]:
    """The product of two operands summed over their shared indices not in ``keep``."""
    (x, sa), (z, sb) = a, b
    x, sa = _sum_out(xp, x, sa, keep | set(sb))
    z, sb = _sum_out(xp, z, sb, keep | set(sa))
    batch = [c for c in sa if c in sb and c in keep]
    summed = [c for c in sa if c in sb and c not in keep]
    a_free = [c for c in sa if c not in sb]
    b_free = [c for c in sb if c not in sa]

    def size(indices: list[str]) -> int:
        return _product([sizes[c] for c in indices])

    x3 = xp.reshape(xp.permute_dims(x, tuple(sa.index(c) for c in batch + a_free + summed)),
                    (size(batch), size(a_free), size(summed)))
    z3 = xp.reshape(xp.permute_dims(z, tuple(sb.index(c) for c in batch + summed + b_free)),
                    (size(batch), size(summed), size(b_free)))
    result = batch + a_free + b_free
    return xp.reshape(xp.matmul(x3, z3), tuple(sizes[c] for c in result)), ''.join(result)


def _place(xp: Any, y: Any, sy: str, out_sub: str, sizes: dict[str, int],
           device: Any) -> Any:
    """``y`` (indices ``sy``) laid out as ``out_sub``: broadcast, then on diagonals."""
    unique = _unique(out_sub)
    present = [c for c in unique if c in sy]
    order = tuple(sy.index(c) for c in present)
    if order != tuple(range(len(order))):
        y = xp.permute_dims(y, order)
    # Size-1 axes for the indices y lacks and for each repeat of an index.
    first = {c: out_sub.index(c) for c in unique}
    y = xp.reshape(y, tuple(sizes[c] if c in sy and first[c] == i else 1
                            for i, c in enumerate(out_sub)))
    absent = [c for c in unique if c not in sy]
    if absent:
        shape = tuple(sizes[c] if first[c] == i else 1 for i, c in enumerate(out_sub))
        y = y * xp.ones(shape, dtype=y.dtype, device=device)
    for i, c in enumerate(out_sub):
        if first[c] != i:
            mask_shape = [1] * len(out_sub)
            mask_shape[first[c]] = mask_shape[i] = sizes[c]
            eye = xp.eye(sizes[c], dtype=y.dtype, device=device)
            y = y * xp.reshape(eye, tuple(mask_shape))
    return y


# -- parsing ---------------------------------------------------------------------------


def _from_integers(subscript: Any) -> str:
    """NumPy's integer subscript (ints and ``Ellipsis``) as a string."""
    text = ''
    for s in subscript:
        if s is Ellipsis:
            text += '...'
            continue
        s = operator.index(s)
        if not 0 <= s < len(_LABELS):
            raise ValueError(f'einsum: expected subscripts between 0 and {len(_LABELS) - 1}, '
                             f'received {s}')
        text += _LABELS[s]
    return text


def _split_arguments(operands: Sequence[Any]) -> tuple[str, list[Any]]:
    """The subscripts string and the operands, from either of NumPy's two forms."""
    if not operands:
        raise ValueError('einsum: expected the subscripts and at least one operand')
    if isinstance(operands[0], str):
        return operands[0].replace(' ', ''), list(operands[1:])
    arrays = list(operands[0::2])
    terms = [_from_integers(s) for s in operands[1::2]]
    if len(terms) == len(arrays):
        return ','.join(terms), arrays
    return ','.join(terms[:len(arrays) - 1]) + '->' + _from_integers(arrays[-1]), arrays[:-1]


def _parse(subscripts: str, shapes: Sequence[tuple[int, ...]]) -> tuple[list[str], str]:
    """The input terms and the output with ellipses replaced by fresh letters."""
    inputs, arrow, output = subscripts.partition('->')
    terms = inputs.split(',')
    if len(terms) != len(shapes):
        raise ValueError(f'einsum: expected {len(terms)} operands for {subscripts!r}, '
                         f'received {len(shapes)}')
    for term in terms + [output]:
        letters = term.replace('...', '')
        if not all(c in _LABELS for c in letters) or term.count('...') > 1:
            raise ValueError(f'einsum: expected letters and at most one ellipsis per term, '
                             f'received {subscripts!r}')
    free = [c for c in _LABELS if c not in subscripts]
    ellipsis_ndim = max((len(shape) - len(term.replace('...', ''))
                         for term, shape in zip(terms, shapes) if '...' in term), default=0)
    if ellipsis_ndim > len(free):
        raise ValueError(f'einsum: too many dimensions under the ellipsis in {subscripts!r}')
    dots = ''.join(free[:ellipsis_ndim])
    expanded = []
    for term, shape in zip(terms, shapes):
        n = len(shape) - len(term.replace('...', ''))
        if '...' in term and n != ellipsis_ndim:
            raise InvalidType(f'{ellipsis_ndim} dimensions under the ellipsis of every operand '
                              f'of {subscripts!r} (no broadcasting)',
                              f'shape {tuple(shape)} for {term!r}')
        expanded.append(term.replace('...', dots))
    has_dots = any('...' in term for term in terms)
    if arrow:
        if '...' in output and not has_dots:
            raise ValueError(f'einsum: the output of {subscripts!r} has an ellipsis that no '
                             f'operand has')
        if has_dots and ellipsis_ndim and '...' not in output:
            raise ValueError(f'einsum: the output of {subscripts!r} lacks the ellipsis of its '
                             f'operands')
        output = output.replace('...', dots)
    else:
        joined = ''.join(t.replace('...', '') for t in terms)
        output = dots + ''.join(sorted(c for c in set(joined) if joined.count(c) == 1))
    if len(set(output)) != len(output):
        raise ValueError(f'einsum: an output index appears twice in {subscripts!r}')
    unknown = set(output) - set(''.join(expanded))
    if unknown:
        raise ValueError(f'einsum: output indices {sorted(unknown)} appear in no operand of '
                         f'{subscripts!r}')
    return expanded, output


def einsum(*operands: Any) -> Variable:
    """Einstein summation, as :func:`numpy.einsum`: ``einsum('ij,jk->ik', a, b)`` is ``a @ b``.

    Subscripts come as a string (``'ij,jk->ik'``, implicit output ``'ij,jk'``,
    ellipsis ``'...ij'``, repeated indices for diagonals ``'ii->i'``) or in
    NumPy's integer form ``einsum(a, [0, 1], b, [1, 2], [0, 2])``.

    Args:
        operands: The subscripts, then one variable or array per term.

    Raises:
        ValueError: The subscripts are malformed or do not match the operands.
        InvalidType: Operand lengths disagree, or the dimensions under an
            ellipsis differ between operands.
    """
    subscripts, arrays = _split_arguments(operands)
    terms, output = _parse(subscripts, [tuple(x.shape) for x in arrays])
    return EinSum(','.join(terms), output).apply(arrays)[0]
