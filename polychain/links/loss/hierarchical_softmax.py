"""BinaryHierarchicalSoftmax: the hierarchical softmax loss over a binary tree of words."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Hashable, Mapping
from typing import Any

import numpy
from array_api_compat import device as native_device

from polychain import initializers
from polychain.backend import get_device_from_array
from polychain.configuration import get_dtype
from polychain.device_resident import DeviceResident, DeviceResidentsVisitor
from polychain.functions.activation.softplus import softplus
from polychain.functions.array.reshape import expand_dims, reshape
from polychain.functions.connection.embed_id import embed_id
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import sum as sum_
from polychain.link import Link
from polychain.parameter import Parameter
from polychain.utils.type_check import InvalidType
from polychain.variable import Variable, as_variable


def _leaf_paths(tree: Any) -> tuple[dict[Hashable, tuple[list[int], list[float]]], int]:
    """Per leaf, the internal nodes from the root to it and the turns taken (+1 left, -1 right).

    Internal nodes are numbered in preorder. Also returns their number.
    """
    paths: dict[Hashable, tuple[list[int], list[float]]] = {}
    counter = itertools.count()
    stack: list[tuple[Any, list[int], list[float]]] = [(tree, [], [])]
    while stack:
        node, nodes, turns = stack.pop()
        if not isinstance(node, tuple):
            paths[node] = (nodes, turns)
            continue
        if len(node) != 2:
            raise ValueError(f'BinaryHierarchicalSoftmax: every internal node of the tree must '
                             f'have two children, received {node!r}')
        index = next(counter)
        left, right = node
        stack.append((right, nodes + [index], turns + [-1.0]))
        stack.append((left, nodes + [index], turns + [1.0]))
    return paths, next(counter)


class BinaryHierarchicalSoftmaxFunction(DeviceResident):
    """The loss of a fixed binary tree, called as ``f(x, t, W)``.

    The paths of the words ``0 .. V - 1`` are laid end to end: word ``w``'s
    internal nodes are ``paths[begins[w]:begins[w + 1]]`` and its turns
    ``codes[begins[w]:begins[w + 1]]`` (``+1`` left, ``-1`` right).

    Args:
        tree: A binary tree of tuples whose leaves are the word ids, e.g. ``((0, 1), 2)``.
        dtype: Dtype of ``codes``.

    Attributes:
        parser_size: The number of internal nodes (the rows of ``W``).
    """

    def __init__(self, tree: Any, dtype: Any) -> None:
        super().__init__()
        paths, self.parser_size = _leaf_paths(tree)
        n_vocab = max(paths) + 1
        empty: tuple[list[int], list[float]] = ([], [])
        per_word = [paths.get(word, empty) for word in range(n_vocab)]
        lengths = [len(nodes) for nodes, _ in per_word]
        self.paths = numpy.asarray([n for nodes, _ in per_word for n in nodes], numpy.int32)
        self.codes = numpy.asarray([c for _, turns in per_word for c in turns], dtype)
        self.begins = numpy.cumsum([0] + lengths).astype(numpy.int32)
        self.max_length = max(lengths)

    def device_resident_accept(self, visitor: DeviceResidentsVisitor) -> None:
        """Hands the function and its path tables to ``visitor``."""
        super().device_resident_accept(visitor)
        self.paths = visitor.visit_array(self.paths)
        self.codes = visitor.visit_array(self.codes)
        self.begins = visitor.visit_array(self.begins)

    def _check(self, x: Variable, t: Any, W: Variable) -> None:  # noqa: N803
        if x.ndim != 2 or t.shape != x.shape[:1] or W.dtype != x.dtype or \
                W.shape != (self.parser_size, x.shape[1]):
            raise InvalidType(f'x: (B, D), t: (B,), W: ({self.parser_size}, D) of the dtype of x',
                              f'x: {x.shape} {x.dtype}, t: {t.shape}, W: {W.shape} {W.dtype}')

    def __call__(self, x: Any, t: Any, W: Any) -> Variable:  # noqa: N803
        """The summed loss ``sum_b sum_i log(1 + exp(-code_i * W[node_i] . x_b))`` over the
        path of each label ``t[b]``."""
        x, W = as_variable(x), as_variable(W)  # noqa: N806
        t = t.array if isinstance(t, Variable) else t
        self._check(x, t, W)
        xp = get_device_from_array(x.array).namespace
        steps = xp.arange(self.max_length, dtype=self.begins.dtype,
                          device=native_device(self.begins))
        begins = xp.take(self.begins, t)
        ends = xp.take(self.begins, t + 1)
        positions = xp.reshape(begins, (-1, 1)) + xp.reshape(steps, (1, -1))
        on_path = positions < xp.reshape(ends, (-1, 1))
        flat = xp.reshape(xp.where(on_path, positions, 0), (-1,))
        shape = (t.shape[0], self.max_length)
        nodes = xp.reshape(xp.take(self.paths, flat), shape)
        codes = xp.reshape(xp.astype(xp.take(self.codes, flat), x.dtype), shape)
        scores = reshape(matmul(embed_id(nodes, W), expand_dims(x, 2)), shape)
        return sum_(softplus(-scores * codes) * xp.astype(on_path, x.dtype))


class BinaryHierarchicalSoftmax(Link):
    """Hierarchical softmax layer over a binary tree.

    The probability of a word is the product, along the path from the root to
    its leaf, of ``sigmoid(b_i * x . W[e_i])`` with ``e_i`` the internal nodes
    and ``b_i`` +1 for a left turn, -1 for a right one; the loss is the sum over
    the batch of the negative log probabilities of the labels.

    Args:
        in_size: Dimension of the input vectors.
        tree: A binary tree of tuples whose leaves are the word ids, e.g. ``((0, 1), 2)``
            (see :meth:`create_huffman_tree`).
        dtype: Dtype of the path codes (default ``config.dtype``).

    Attributes:
        W: Weights of the internal nodes, ``(number of internal nodes, in_size)``,
            uniform in ``[-1, 1)``.
    """

    def __init__(self, in_size: int, tree: Any, dtype: Any = None) -> None:
        super().__init__()
        self._func = BinaryHierarchicalSoftmaxFunction(tree, get_dtype(dtype))
        with self.init_scope():
            self.W = Parameter(initializers.Uniform(1), (self._func.parser_size, in_size))

    def device_resident_accept(self, visitor: DeviceResidentsVisitor) -> None:
        """Hands the link, its parameter and its path tables to ``visitor``."""
        super().device_resident_accept(visitor)
        self._func.device_resident_accept(visitor)

    @staticmethod
    def create_huffman_tree(word_counts: Mapping[Hashable, float]) -> Any:
        """A binary Huffman tree of tuples over the keys of ``word_counts``.

        The two least frequent entries are merged first; between equal counts
        the entry met first in ``word_counts`` (or containing it) goes first.

        Args:
            word_counts: Word ids (or any keys) and their counts.

        Raises:
            ValueError: ``word_counts`` is empty.
        """
        if not word_counts:
            raise ValueError('create_huffman_tree: expected a non-empty dict of word counts, '
                             'received an empty one')
        heap = [(count, order, word) for order, (word, count) in enumerate(word_counts.items())]
        heapq.heapify(heap)
        while len(heap) > 1:
            count_a, order_a, a = heapq.heappop(heap)
            count_b, order_b, b = heapq.heappop(heap)
            heapq.heappush(heap, (count_a + count_b, min(order_a, order_b), (a, b)))
        return heap[0][2]

    def forward(self, x: Any, t: Any) -> Variable:
        """The summed loss of the inputs ``x`` ``(B, in_size)`` and their labels ``t`` ``(B,)``."""
        return self._func(x, t, self.W)
