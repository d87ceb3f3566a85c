"""build_computational_graph and the DOT text of ComputationalGraph.dump."""

import re

import numpy
import pytest

import polychain
import polychain.computational_graph as c
import polychain.functions as F
import polychain.links as L


def parse_dot(text):
    """``{node id: {attribute: value}}`` and the list of ``(tail, head)`` edges of a DOT text."""
    nodes = {}
    for node, body in re.findall(r'^(\d+) \[(.*)\];$', text, re.MULTILINE):
        nodes[node] = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', body))
    edges = re.findall(r'^(\d+) -> (\d+);$', text, re.MULTILINE)
    return nodes, edges


def labels_of(text):
    return sorted(attributes['label'] for attributes in parse_dot(text)[0].values())


@pytest.fixture
def exp_times_x():
    """``y = sum(exp(x) * x)`` with ``x`` of shape (2, 3) named ``'x'`` and ``y`` named ``'y'``."""
    x = polychain.Variable(numpy.ones((2, 3), numpy.float32), name='x')
    e = F.exp(x)
    y = F.sum(e * x)
    y.name = 'y'
    return x, e, y


def test_nodes_and_edges_follow_the_data(exp_times_x):
    x, e, y = exp_times_x
    graph = c.build_computational_graph([y])
    exp = e.creator
    multiply = y.creator.inputs[0].creator
    total = y.creator
    assert len(graph.nodes) == 7  # x, Exp, e, Mul, e * x, Sum, y
    assert {type(node) for node in graph.nodes} == {polychain.VariableNode,
                                                    type(exp), type(multiply), type(total)}
    expected = {(x.node, exp), (exp, e.node), (e.node, multiply), (x.node, multiply),
                (multiply, total.inputs[0]), (total.inputs[0], total), (total, y.node)}
    assert set(graph.edges) == expected and len(graph.edges) == len(expected)


def test_a_single_output_may_be_given_without_a_list(exp_times_x):
    _, _, y = exp_times_x
    assert set(c.build_computational_graph(y).edges) == \
        set(c.build_computational_graph([y]).edges)


def test_dump_is_dot_with_chainer_labels_and_default_styles(exp_times_x):
    x, _, y = exp_times_x
    text = c.build_computational_graph([y], named_variables=[('x', x)]).dump()
    assert text.startswith('digraph graphname{rankdir=TB;') and text.rstrip().endswith('}')
    nodes, edges = parse_dot(text)
    assert len(nodes) == 7 and len(edges) == 7
    by_label = {attributes['label']: attributes for attributes in nodes.values()}
    # y is an output, x is named, exp(x) is kept by the product for its backward.
    assert {'y: float32', 'x: (2, 3), float32', '(2, 3), float32', 'Exp', 'Sum'} \
        <= set(by_label)
    assert by_label['y: float32'] == {'label': 'y: float32', 'shape': 'octagon',
                                      'fillcolor': '#E0E0E0', 'style': 'filled'}
    assert by_label['Sum'] == {'label': 'Sum', 'shape': 'record', 'fillcolor': '#6495ED',
                               'style': 'filled'}


def test_styles_rankdir_and_show_name(exp_times_x):
    _, _, y = exp_times_x
    text = c.build_computational_graph([y], variable_style={'color': 'red'},
                                       function_style=None, rankdir='LR',
                                       show_name=False).dump()
    nodes, _ = parse_dot(text)
    assert text.startswith('digraph graphname{rankdir=LR;')
    by_label = {attributes['label']: attributes for attributes in nodes.values()}
    assert by_label['float32'] == {'label': 'float32', 'shape': 'oval', 'color': 'red'}
    assert by_label['Sum'] == {'label': 'Sum', 'shape': 'box'}


def test_remove_variable_links_functions_to_their_consumers(exp_times_x):
    _, e, y = exp_times_x
    graph = c.build_computational_graph([y], remove_variable=True)
    nodes, edges = parse_dot(graph.dump())
    exp, total = e.creator, y.creator
    multiply = total.inputs[0].creator
    assert sorted(attributes['label'] for attributes in nodes.values()) == \
        sorted([exp.label, multiply.label, total.label])
    assert sorted(edges) == sorted([(str(id(exp)), str(id(multiply))),
                                    (str(id(multiply)), str(id(total)))])


def test_walk_starts_from_variable_and_function_nodes(exp_times_x):
    x, e, y = exp_times_x
    from_function = c.build_computational_graph([e.creator])
    assert set(from_function.edges) == {(x.node, e.creator)}
    from_node = c.build_computational_graph([e.node])
    assert set(from_node.edges) == {(x.node, e.creator), (e.creator, e.node)}


def test_shared_subgraphs_appear_once():
    x = polychain.Variable(numpy.arange(3, dtype=numpy.float32))
    h = F.exp(x)
    outputs = [F.sum(h), F.sum(h * 2)]
    graph = c.build_computational_graph(outputs)
    exps = [node for node in graph.nodes if node is h.creator]
    assert len(exps) == 1
    assert len(graph.edges) == len(set(graph.edges))


def test_walk_stops_at_a_cut_graph(exp_times_x):
    x, e, y = exp_times_x
    exp = e.creator
    e.unchain_backward()
    graph = c.build_computational_graph([y])
    assert exp not in graph.nodes and e.node in graph.nodes
    assert len(graph.edges) == 5


def test_a_leaf_is_a_graph_of_one_node():
    x = polychain.Variable(numpy.zeros((4,), numpy.float64), name='leaf')
    graph = c.build_computational_graph([x])
    assert graph.nodes == [x.node] and graph.edges == []
    assert labels_of(graph.dump()) == ['leaf: (4), float64']


def test_named_variables_label_parameters():
    model = L.Linear(3, 2)
    loss = F.sum(model(numpy.ones((1, 3), numpy.float32)))
    text = c.build_computational_graph([loss],
                                       named_variables=model.namedparams()).dump()
    assert {'/W: (2, 3), float32', '/b: (2), float32'} <= set(labels_of(text))


def test_labels_escape_quotes():
    x = polychain.Variable(numpy.zeros((), numpy.float32))
    y = F.exp(x)
    y.name = 'say "hi"'
    text = c.build_computational_graph(y).dump()
    assert labels_of(text) == ['', 'Exp', 'say \\"hi\\": float32']


def test_nodes_nobody_describes_have_empty_labels():
    x = polychain.Variable(numpy.zeros((2,), numpy.float32), name='x')
    y = F.sum(x)  # Sum keeps neither its input nor its output
    assert labels_of(c.build_computational_graph(y).dump()) == ['', 'Sum', 'float32']


def test_errors():
    x = polychain.Variable(numpy.zeros((1,), numpy.float32))
    with pytest.raises(ValueError, match='remove_split=False'):
        c.build_computational_graph([x], remove_split=False)
    with pytest.raises(TypeError, match='received ndarray'):
        c.build_computational_graph([x, numpy.zeros(1)])
    with pytest.raises(ValueError, match="rankdir to be one of TB, BT, LR, RL, received 'up'"):
        c.build_computational_graph([x], rankdir='up')
    with pytest.raises(ValueError, match="variable_style to be a dict, None or 'default'"):
        c.build_computational_graph([x], variable_style='fancy')
    with pytest.raises(NotImplementedError, match="format 'dot', received 'png'"):
        c.build_computational_graph([x]).dump('png')


def test_dot_node_gives_the_dot_statement_of_one_node(exp_times_x):
    x, e, _ = exp_times_x
    function = c.DotNode(e.creator)
    assert function.id_ == id(e.creator)
    assert function.label == f'{id(e.creator)} [label="Exp",shape="box"];'
    variable = c.DotNode(x.node, {'shape': 'octagon', 'color': 'red'})
    assert variable.attribute == {'label': 'x: (2, 3), float32', 'shape': 'octagon',
                                  'color': 'red'}
    assert c.DotNode(x.node, show_name=False).attribute['label'] == '(2, 3), float32'
    assert c.DotNode(x.node, label='given').attribute['label'] == 'given'
