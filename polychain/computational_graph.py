"""The computational graph behind variables, and its dump in Graphviz's DOT language.

:func:`build_computational_graph` walks back from output variables through
their creators; :meth:`ComputationalGraph.dump` writes what it found.

A :class:`~polychain.VariableNode` holds no array, so the label of a
variable node (``'name: (2, 3), float32'``) is known only for the nodes of
variables given to :func:`build_computational_graph` (the outputs and
``named_variables``) and for the inputs and outputs that a function retains
for its backward; other variable nodes are drawn without a label.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from polychain.function_node import FunctionNode
from polychain.variable import Variable, VariableNode

Node = VariableNode | FunctionNode

_VARIABLE_STYLE = {'shape': 'octagon', 'fillcolor': '#E0E0E0', 'style': 'filled'}
_FUNCTION_STYLE = {'shape': 'record', 'fillcolor': '#6495ED', 'style': 'filled'}
_RANKDIRS = ('TB', 'BT', 'LR', 'RL')


class VariableLabel:
    """What a graph dump shows of a variable node: its name, shape and dtype.

    Args:
        name: The variable's name, or ``None``.
        shape: The array's shape.
        dtype: The array's dtype.
    """

    __slots__ = ('name', 'shape', 'dtype')

    def __init__(self, name: str | None, shape: Sequence[int], dtype: Any) -> None:
        self.name = name
        self.shape = tuple(shape)
        self.dtype = dtype

    @classmethod
    def of(cls, variable: Variable, name: str | None = None) -> VariableLabel:
        """The label of ``variable`` (named ``name``, or the variable's own name)."""
        return cls(variable.name if name is None else name, variable.shape, variable.dtype)

    def text(self, show_name: bool = True) -> str:
        """``'(2, 3), float32'``, ``'float32'`` for a scalar, prefixed by ``'name: '``."""
        text = str(self.dtype)
        if self.shape:
            text = f'({", ".join(str(n) for n in self.shape)}), {text}'
        if show_name and self.name is not None:
            text = f'{self.name}: {text}'
        return text


class DotNode:
    """One node of a DOT dump: its id and its attributes.

    Args:
        node: A :class:`~polychain.VariableNode` (drawn as an oval) or a
            :class:`~polychain.FunctionNode` (a box).
        attribute: DOT attributes added to, or replacing, the label and shape.
        show_name: Prefix a named variable's label with its name.
        label: The label, where the caller knows more of the node than the node
            itself (keyword only); by default a function's ``label`` and the
            shape and dtype of a variable node whose variable is alive.
    """

    def __init__(self, node: Node, attribute: Mapping[str, str] | None = None,
                 show_name: bool = True, *, label: str | None = None) -> None:
        self.node = node
        self.id_ = id(node)
        is_function = isinstance(node, FunctionNode)
        if label is None:
            label = node.label if is_function else _alive_label(node, show_name)
        self.attribute = {'label': label, 'shape': 'box' if is_function else 'oval'}
        self.attribute.update(attribute or {})

    @property
    def label(self) -> str:
        """The node's DOT statement: ``'<id> [label="...",shape="..."];'``."""
        text = ','.join(f'{key}="{_escape(value)}"' for key, value in self.attribute.items())
        return f'{self.id_} [{text}];'


class ComputationalGraph:
    """Functions and variable nodes with the edges between them.

    Edges are ``(head, tail)`` pairs in the direction of the data: from an
    input variable node to a function, and from a function to an output node.

    Args:
        nodes: The :class:`~polychain.VariableNode` and
            :class:`~polychain.FunctionNode` objects of the graph.
        edges: Pairs of nodes.
        variable_style: DOT attributes of variable nodes; ``'default'`` for
            ``{'shape': 'octagon', 'fillcolor': '#E0E0E0', 'style': 'filled'}``,
            ``None`` for plain ovals.
        function_style: DOT attributes of function nodes; ``'default'`` for
            ``{'shape': 'record', 'fillcolor': '#6495ED', 'style': 'filled'}``,
            ``None`` for plain boxes.
        rankdir: The layout direction: ``'TB'``, ``'BT'``, ``'LR'`` or ``'RL'``.
        remove_variable: Draw only functions, linked to the functions that
            consume their outputs.
        show_name: Prefix the labels of named variables with their names.
        variable_labels: What is known of variable nodes (keyword only).
    """

    def __init__(self, nodes: Sequence[Node], edges: Sequence[tuple[Node, Node]],
                 variable_style: Mapping[str, str] | str | None = 'default',
                 function_style: Mapping[str, str] | str | None = 'default',
                 rankdir: str = 'TB', remove_variable: bool = False, show_name: bool = True,
                 *, variable_labels: Mapping[VariableNode, VariableLabel] | None = None) -> None:
        if rankdir not in _RANKDIRS:
            raise ValueError(f'ComputationalGraph: expected rankdir to be one of '
                             f'{", ".join(_RANKDIRS)}, received {rankdir!r}')
        self.nodes = list(nodes)
        self.edges = list(edges)
        self.variable_style = _style(variable_style, _VARIABLE_STYLE, 'variable_style')
        self.function_style = _style(function_style, _FUNCTION_STYLE, 'function_style')
        self.rankdir = rankdir
        self.remove_variable = remove_variable
        self.show_name = show_name
        self.variable_labels = dict(variable_labels or {})

    def dump(self, format: str = 'dot') -> str:
        """The graph as text in ``format`` (only ``'dot'`` is supported).

        Raises:
            NotImplementedError: ``format`` is not ``'dot'``.
        """
        if format != 'dot':
            raise NotImplementedError(f'ComputationalGraph.dump: expected format \'dot\', '
                                      f'received {format!r}')
        return self._to_dot()

    def label(self, node: Node) -> str:
        """The text shown for ``node``: a function's ``label``, a variable's shape and dtype."""
        if isinstance(node, FunctionNode):
            return node.label
        known = self.variable_labels.get(node)
        return '' if known is None else known.text(self.show_name)

    def _to_dot(self) -> str:
        lines = [f'digraph graphname{{rankdir={self.rankdir};']
        for node in self.nodes:
            if isinstance(node, FunctionNode):
                lines.append(self._dot_node(node, self.function_style))
            elif not self.remove_variable:
                lines.append(self._dot_node(node, self.variable_style))
        edges = _function_edges(self.edges) if self.remove_variable else self.edges
        lines += [f'{id(head)} -> {id(tail)};' for head, tail in dict.fromkeys(edges)]
        lines.append('}')
        return '\n'.join(lines) + '\n'

    def _dot_node(self, node: Node, style: Mapping[str, str] | None) -> str:
        return DotNode(node, style, self.show_name, label=self.label(node)).label


def build_computational_graph(
        outputs: Variable | VariableNode | FunctionNode | Iterable[Any],
        remove_split: bool = True,
        variable_style: Mapping[str, str] | str | None = 'default',
        function_style: Mapping[str, str] | str | None = 'default',
        rankdir: str = 'TB', remove_variable: bool = False, show_name: bool = True, *,
        named_variables: Iterable[tuple[str, Variable]] = ()) -> ComputationalGraph:
    """Builds the graph of functions and variables backward-reachable from ``outputs``.

    The walk stops at leaves and at variables whose graph was cut
    (``unchain_backward``).

    Args:
        outputs: A :class:`~polychain.Variable`, :class:`~polychain.VariableNode`
            or :class:`~polychain.FunctionNode`, or a list of them.
        remove_split: Must be ``True`` (kept for compatibility).
        variable_style: DOT attributes of variable nodes (see
            :class:`ComputationalGraph`).
        function_style: DOT attributes of function nodes.
        rankdir: The layout direction: ``'TB'``, ``'BT'``, ``'LR'`` or ``'RL'``.
        remove_variable: Draw only functions.
        show_name: Prefix the labels of named variables with their names.
        named_variables: ``(name, variable)`` pairs whose nodes are labelled
            with that name, e.g. a link's ``namedparams()`` (keyword only).

    Returns:
        ComputationalGraph: The nodes and edges found.

    Raises:
        ValueError: ``remove_split`` is false.
        TypeError: An output is not a Variable, VariableNode or FunctionNode.
    """
    if not remove_split:
        raise ValueError('build_computational_graph: remove_split=False is not supported')
    output_types = (Variable, VariableNode, FunctionNode)
    outputs = [outputs] if isinstance(outputs, output_types) else list(outputs)
    labels: dict[VariableNode, VariableLabel] = {}
    for name, variable in named_variables:
        if variable.array is not None:
            labels[variable.node] = VariableLabel.of(variable, name)
    roots = []
    for output in outputs:
        if isinstance(output, Variable):
            labels.setdefault(output.node, VariableLabel.of(output))
            output = output.node
        elif not isinstance(output, output_types):
            raise TypeError(f'build_computational_graph: expected Variable, VariableNode or '
                            f'FunctionNode outputs, received {type(output).__name__}')
        roots.append(output)
    nodes, edges = _walk_back(roots)
    for node in nodes:
        if isinstance(node, FunctionNode):
            for variable_node, label in _retained_labels(node):
                labels.setdefault(variable_node, label)
    return ComputationalGraph(nodes, edges, variable_style, function_style, rankdir,
                              remove_variable, show_name, variable_labels=labels)


def _walk_back(roots: Sequence[Node]) -> tuple[list[Node], list[tuple[Node, Node]]]:
    """Nodes and edges reachable backward from ``roots``, higher ranks first."""
    nodes = dict.fromkeys(roots)
    edges: dict[tuple[Node, Node], None] = {}
    pending: list[tuple[int, int, Node]] = []
    for node in roots:
        heapq.heappush(pending, (-node.rank, len(pending), node))
    pushed = len(pending)
    while pending:
        _, _, node = heapq.heappop(pending)
        if isinstance(node, VariableNode):
            found = [] if node.creator is None else [(node.creator, node)]
        else:
            found = [(input_node, node) for input_node in node.inputs or ()]
        for edge in found:
            if edge in edges:
                continue
            edges[edge] = None
            parent = edge[0]
            if parent not in nodes:
                nodes[parent] = None
                heapq.heappush(pending, (-parent.rank, pushed, parent))
                pushed += 1
    return list(nodes), list(edges)


def _retained_labels(function: FunctionNode) -> Iterable[tuple[VariableNode, VariableLabel]]:
    """Labels of the inputs and outputs whose arrays ``function`` keeps for its backward."""
    inputs = function.inputs or ()
    for index, data in zip(function._retain_input_indexes or (),
                           function._retained_input_data or ()):
        if index < len(inputs):
            yield inputs[index], VariableLabel(None, data.shape, data.dtype)
    refs = function.outputs or ()
    for index, data in zip(function._retain_output_indexes or (),
                           function._retained_output_data or ()):
        node = refs[index]() if index < len(refs) else None
        if node is not None:
            yield node, VariableLabel(None, data.shape, data.dtype)


def _alive_label(node: VariableNode, show_name: bool) -> str:
    """The label of a variable node whose variable is still alive; ``''`` otherwise."""
    variable = node.get_variable_or_none()
    return '' if variable is None else VariableLabel.of(variable).text(show_name)


def _function_edges(edges: Sequence[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    """Edges between functions: from the creator of each input to the function consuming it."""
    return [(head.creator, tail) for head, tail in edges
            if isinstance(head, VariableNode) and head.creator is not None]


def _style(style: Mapping[str, str] | str | None, default: Mapping[str, str],
           argument: str) -> dict[str, str] | None:
    if isinstance(style, str):
        if style != 'default':
            raise ValueError(f'ComputationalGraph: expected {argument} to be a dict, None or '
                             f'\'default\', received {style!r}')
        return dict(default)
    return None if style is None else dict(style)


def _escape(value: Any) -> str:
    return str(value).replace('\\', '\\\\').replace('"', '\\"')
