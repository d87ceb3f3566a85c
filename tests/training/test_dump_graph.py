"""DumpGraph: the graph of an observed variable written once as a DOT file."""

import re

import pytest

from polychain import configuration
from polychain.training import extensions

from .training_setup import make_trainer


def parse_dot(text):
    """``{node id: label}`` and the set of ``(tail, head)`` edges of a DOT text."""
    labels = dict(re.findall(r'^(\d+) \[label="([^"]*)"', text, re.MULTILINE))
    edges = set(re.findall(r'^(\d+) -> (\d+);$', text, re.MULTILINE))
    return labels, edges


def test_dumps_the_graph_of_the_loss_once(tmp_path):
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    dump = extensions.DumpGraph('main/loss')
    trainer.extend(dump)
    trainer.run()
    text = (tmp_path / 'cg.dot').read_text()
    assert text.startswith('digraph graphname{rankdir=TB;') and text.rstrip().endswith('}')
    labels, edges = parse_dot(text)
    by_label = {label: node for node, label in labels.items()}
    linear, loss = by_label['LinearFunction'], by_label['SoftmaxCrossEntropy']
    weight = by_label['main/predictor/W: (2, 3), float32']
    bias = by_label['main/predictor/b: (2), float32']
    root = by_label['float32']
    assert {(weight, linear), (bias, linear), (loss, root)} <= edges
    assert any(tail == linear and (head, loss) in edges for tail, head in edges)
    assert configuration.config.keep_graph_on_report is False
    assert dump.trigger(trainer) is False


def test_keep_graph_is_restored_when_training_ends_first(tmp_path):
    trainer = make_trainer(tmp_path, lambda trainer: True)
    trainer.extend(extensions.DumpGraph('main/loss'))
    trainer.run()
    assert configuration.config.keep_graph_on_report is False
    assert not (tmp_path / 'cg.dot').exists()


def test_root_must_be_a_variable(tmp_path):
    trainer = make_trainer(tmp_path, (1, 'iteration'))
    trainer.extend(extensions.DumpGraph('value', filename='other.dot'))
    trainer.extend(extensions.observe_value('value', lambda t: 1.0), trigger=(1, 'iteration'))
    with pytest.raises(TypeError, match="'value' to be a Variable, received float"):
        trainer.run(show_loop_exception_msg=False)
    assert configuration.config.keep_graph_on_report is False


def test_two_dumps_restore_the_flag_whatever_their_order(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'iteration'))
    trainer.extend(extensions.DumpGraph('main/loss', out_name='loss.dot'))
    trainer.extend(extensions.DumpGraph('main/loss', filename='first.dot'), priority=1)
    trainer.run()
    assert configuration.config.keep_graph_on_report is False
    for name in ('loss.dot', 'first.dot'):
        assert 'LinearFunction' in (tmp_path / name).read_text()

