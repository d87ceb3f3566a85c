"""The computational graph behind variables, written in Graphviz's DOT language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from polychain.variable import Variable

VARIABLE_STYLE = {'shape': 'octagon', 'fillcolor': '#E0E0E0', 'style': 'filled'}
FUNCTION_STYLE = {'shape': 'record', 'fillcolor': '#6495ED', 'style': 'filled'}


def describe_variable(name: str | None, variable: Variable) -> str:
    """A variable's label: ``'name: (2, 3), float32'`` (without the name when it has none)."""
    shape = ', '.join(str(n) for n in variable.shape)
    text = f'({shape}), {variable.dtype}'
    return text if name is None else f'{name}: {text}'


def build_dot(outputs: Iterable[Variable], variable_labels: Mapping[int, str] | None = None,
              variable_style: Mapping[str, str] | None = None,
              function_style: Mapping[str, str] | None = None, rankdir: str = 'TB') -> str:
    """The graph of functions and variables that produced ``outputs``, as DOT text.

    Walks back from each output's node through its creator's input nodes.
    Functions are labelled by their ``label``; a variable node by
    ``variable_labels[id(node)]`` when given, otherwise by the name, shape
    and dtype of the output it belongs to, or left blank.

    Args:
        outputs: The variables to start from.
        variable_labels: Labels of variable nodes, keyed by ``id(node)``.
        variable_style: DOT attributes of variable nodes.
        function_style: DOT attributes of function nodes.
        rankdir: The DOT layout direction.
    """
    labels = dict(variable_labels or {})
    roots = []
    for output in outputs:
        node = output.node
        labels.setdefault(id(node), describe_variable(output.name, output))
        roots.append(node)
    nodes: dict[int, tuple[str, Mapping[str, str]]] = {}
    edges: dict[tuple[int, int], None] = {}
    pending = list(roots)
    seen = {id(node) for node in roots}
    while pending:
        variable_node = pending.pop()
        nodes[id(variable_node)] = (labels.get(id(variable_node), ''),
                                    variable_style or VARIABLE_STYLE)
        function = variable_node.creator
        if function is None:
            continue
        nodes[id(function)] = (function.label, function_style or FUNCTION_STYLE)
        edges[id(function), id(variable_node)] = None
        for input_node in function.inputs or ():
            edges[id(input_node), id(function)] = None
            if id(input_node) not in seen:
                seen.add(id(input_node))
                pending.append(input_node)
    lines = [f'digraph graphname{{rankdir={rankdir};']
    lines += [f'{key} [{_attributes(label, style)}];' for key, (label, style) in nodes.items()]
    lines += [f'{tail} -> {head};' for tail, head in edges]
    lines.append('}')
    return '\n'.join(lines) + '\n'


def _attributes(label: str, style: Mapping[str, str]) -> str:
    pairs = {'label': label, **style}
    return ','.join(f'{key}="{_escape(value)}"' for key, value in pairs.items())


def _escape(value: Any) -> str:
    return str(value).replace('\\', '\\\\').replace('"', '\\"')
