"""einsum on Variables, as a sequence of sums, transpositions and matrix products.

Supported subscripts: any number of operands, explicit (``'ij,jk->ik'``) or
implicit (``'ij,jk'``) output, each index appearing at most once per operand
and in the output. Not supported: ellipsis (``...``), repeated indices within
one operand (diagonals, traces), broadcasting of length-1 axes.
"""

from __future__ import annotations

from typing import Any

from polychain.functions.array.reshape import reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import sum
from polychain.variable import Variable


def _parse(subscripts: str, n_operands: int) -> tuple[list[str], str]:
    if '.' in subscripts:
        raise ValueError(f'einsum: ellipsis is not supported, received {subscripts!r}')
    spec = subscripts.replace(' ', '')
    inputs, arrow, output = spec.partition('->')
    terms = inputs.split(',')
    if len(terms) != n_operands:
        raise ValueError(f'einsum: expected {len(terms)} operands for {subscripts!r}, '
                         f'received {n_operands}')
    for term in terms + [output]:
        if not all(c.isalpha() for c in term):
            raise ValueError(f'einsum: expected letters as indices, received {subscripts!r}')
        if len(set(term)) != len(term):
            raise ValueError(f'einsum: repeated indices within one term (diagonals) are not '
                             f'supported, received {term!r} in {subscripts!r}')
    if not arrow:
        counts = {c: inputs.count(c) for c in set(inputs) - {','}}
        output = ''.join(sorted(c for c, n in counts.items() if n == 1))
    unknown = set(output) - set(inputs)
    if unknown:
        raise ValueError(f'einsum: output indices {sorted(unknown)} appear in no operand of '
                         f'{subscripts!r}')
    return terms, output


def _sum_out(x: Variable, term: str, keep: set[str]) -> tuple[Variable, str]:
    """Sums ``x`` over the indices of ``term`` not in ``keep``."""
    dropped = tuple(i for i, c in enumerate(term) if c not in keep)
    if not dropped:
        return x, term
    return sum(x, axis=dropped), ''.join(c for c in term if c in keep)


def _contract(a: Variable, sa: str, b: Variable, sb: str,
              keep: set[str]) -> tuple[Variable, str]:
    """``a`` and ``b`` multiplied and summed over their shared indices not in ``keep``."""
    a, sa = _sum_out(a, sa, keep | set(sb))
    b, sb = _sum_out(b, sb, keep | set(sa))
    sizes = dict(zip(sa, a.shape))
    for c, n in zip(sb, b.shape):
        if sizes.setdefault(c, n) != n:
            raise ValueError(f'einsum: index {c!r} has length {sizes[c]} in one operand and '
                             f'{n} in another')
    batch = [c for c in sa if c in sb and c in keep]
    summed = [c for c in sa if c in sb and c not in keep]
    a_free = [c for c in sa if c not in sb]
    b_free = [c for c in sb if c not in sa]

    def size(indices: list[str]) -> int:
        total = 1
        for c in indices:
            total *= sizes[c]
        return total

    a3 = reshape(transpose(a, tuple(sa.index(c) for c in batch + a_free + summed)),
                 (size(batch), size(a_free), size(summed)))
    b3 = reshape(transpose(b, tuple(sb.index(c) for c in batch + summed + b_free)),
                 (size(batch), size(summed), size(b_free)))
    result = batch + a_free + b_free
    y = reshape(matmul(a3, b3), tuple(sizes[c] for c in result))
    return y, ''.join(result)


def einsum(*operands: Any) -> Variable:
    """Einstein summation: ``einsum('ij,jk->ik', a, b)`` is ``a @ b``.

    Args:
        operands: The subscripts string, then one variable or array per term.
            See the module documentation for the supported subscripts.

    Raises:
        ValueError: Unsupported or inconsistent subscripts.
    """
    if not operands or not isinstance(operands[0], str):
        raise ValueError('einsum: expected the subscripts string as the first argument')
    terms, output = _parse(operands[0], len(operands) - 1)
    xs = list(operands[1:])
    for x, term in zip(xs, terms):
        if x.ndim != len(term):
            raise ValueError(f'einsum: term {term!r} has {len(term)} indices, its operand '
                             f'has {x.ndim} dimensions')
    y, sy = xs[0], terms[0]
    for i in range(1, len(xs)):
        keep = set(output).union(*terms[i + 1:])
        y, sy = _contract(y, sy, xs[i], terms[i], keep)
    y, sy = _sum_out(y, sy, set(output))
    if sy != output:
        y = transpose(y, tuple(sy.index(c) for c in output))
    elif not isinstance(y, Variable):
        y = reshape(y, tuple(y.shape))
    return y
