"""Chainer's glance (tutorial) and serialization examples."""


def test_glance(run_examples, tmp_path):
    run_examples('glance/glance.py')
    assert (tmp_path / 'glance' / 'result' / 'loss.png').is_file()


def test_serialization_save_then_load(run_examples):
    outcomes = run_examples('serialization/save.py', 'serialization/load.py')
    assert 'model.h5 loaded!' in outcomes[1].output
