"""Reporter, report, report_scope, Summary and DictSummary."""

import numpy
import pytest

import polychain
from polychain import reporter as reporter_module
from polychain.configuration import using_config
from polychain.reporter import DictSummary, Reporter, Summary, report, report_scope
from polychain.serializers import DictionarySerializer, NpzDeserializer


class Observer:
    pass


def test_report_prefixes_the_observer_name():
    reporter = Reporter()
    observer = Observer()
    reporter.add_observer('main', observer)
    observation = {}
    with reporter.scope(observation):
        report({'loss': 1.5}, observer)
        report({'plain': 2.0})
    assert observation == {'main/loss': 1.5, 'plain': 2.0}


def test_add_observers_prefixes_each_name():
    reporter = Reporter()
    a, b = Observer(), Observer()
    reporter.add_observers('main', [('/a', a), ('/b', b)])
    observation = {}
    with reporter.scope(observation):
        report({'x': 1}, a)
        report({'x': 2}, b)
    assert observation == {'main/a/x': 1, 'main/b/x': 2}


def test_report_of_an_unregistered_observer_raises_key_error():
    with Reporter(), pytest.raises(KeyError, match='not registered'):
        report({'x': 1}, Observer())


def test_report_without_a_reporter_does_nothing():
    report({'x': 1})


def test_get_current_reporter_is_the_innermost_one():
    outer, inner = Reporter(), Reporter()
    with outer:
        with inner:
            assert reporter_module.get_current_reporter() is inner
        assert reporter_module.get_current_reporter() is outer


def test_get_current_reporter_without_one_raises():
    with pytest.raises(RuntimeError, match='no reporter'):
        reporter_module.get_current_reporter()


def test_report_scope_redirects_then_restores():
    reporter = Reporter()
    outer, inner = {}, {}
    with reporter.scope(outer):
        with report_scope(inner):
            report({'x': 1})
        report({'y': 2})
    assert inner == {'x': 1}
    assert outer == {'y': 2}


def test_reported_variables_lose_their_graph_unless_configured():
    x = polychain.Variable(numpy.array([1.0, 2.0], dtype=numpy.float32))
    y = polychain.functions.sum(x * x)
    observation = {}
    with Reporter().scope(observation):
        report({'detached': y})
        with using_config('keep_graph_on_report', True):
            report({'kept': y})
    assert observation['detached'].creator_node is None
    numpy.testing.assert_array_equal(observation['detached'].array, y.array)
    assert observation['kept'] is y


def test_summary_reads_the_device_once_when_a_mean_is_read(device, monkeypatch):
    fetches = []
    to_host_many = device.backend.to_host_many
    monkeypatch.setattr(device.backend, 'to_host_many',
                        lambda arrays: fetches.append(len(arrays)) or to_host_many(arrays))
    summary = Summary()
    for value in (1.0, 2.0, 6.0):
        summary.add(device.send(numpy.asarray(value, dtype=numpy.float32)))
    assert fetches == []  # reporting alone neither computes nor synchronises
    assert summary.compute_mean() == pytest.approx(3.0)
    assert fetches == [3]
    mean, std = summary.make_statistics()
    assert mean == pytest.approx(3.0)
    assert std == pytest.approx(numpy.std([1.0, 2.0, 6.0]), rel=1e-6)


def test_summary_weights_values():
    summary = Summary()
    summary.add(1.0, weight=3)
    summary.add(5.0, weight=1)
    assert summary.compute_mean() == pytest.approx(2.0)


def test_summary_accepts_variables():
    summary = Summary()
    summary.add(polychain.Variable(numpy.asarray(4.0)))
    assert summary.compute_mean() == 4.0


def test_dict_summary_keeps_scalars_and_weights_only():
    summary = DictSummary()
    summary.add({'a': 1.0, 'b': numpy.asarray(2.0), 'vector': numpy.ones(3), 'flag': True,
                 'text': 'x', 'weighted': (4.0, 2)})
    summary.add({'a': 3.0, 'weighted': (1.0, 1)})
    assert summary.compute_mean() == pytest.approx({'a': 2.0, 'b': 2.0, 'weighted': 3.0})


def test_dict_summary_statistics_add_std_keys():
    summary = DictSummary()
    summary.add({'a': 1.0})
    summary.add({'a': 3.0})
    assert summary.make_statistics() == pytest.approx({'a': 2.0, 'a.std': 1.0})


def test_dict_summary_serialize_round_trip():
    summary = DictSummary()
    summary.add({'main/loss': 1.0, 'main/accuracy': numpy.asarray(0.5)})
    summary.add({'main/loss': 3.0})
    saved = DictionarySerializer()
    summary.serialize(saved)
    loaded = DictSummary()
    NpzDeserializer(saved.target).load(loaded)
    assert loaded.compute_mean() == pytest.approx(summary.compute_mean())
    assert loaded.make_statistics() == pytest.approx(summary.make_statistics())



def _npz_round_trip(src, dst, tmp_path):
    polychain.serializers.save_npz(str(tmp_path / 'summary.npz'), src)
    polychain.serializers.load_npz(str(tmp_path / 'summary.npz'), dst)


def test_dict_summary_keys_with_slashes_round_trip(tmp_path):
    summary = DictSummary()
    summary.add({'a/b': 3.0, '/a/b': 1.0, 'a/b/': 4.0})
    loaded = DictSummary()
    _npz_round_trip(summary, loaded, tmp_path)
    assert loaded.compute_mean() == pytest.approx({'a/b': 3.0, '/a/b': 1.0, 'a/b/': 4.0})


def test_dict_summary_load_replaces_the_keys(tmp_path):
    summary = DictSummary()
    summary.add({'a': 3.0})
    loaded = DictSummary()
    loaded.add({'c': 5.0, 'd': 1.0})
    _npz_round_trip(summary, loaded, tmp_path)
    assert loaded.compute_mean() == pytest.approx({'a': 3.0})


def test_loading_a_file_without_statistics_warns_and_starts_empty(tmp_path):
    numpy.savez(str(tmp_path / 'old.npz'), dummy=0)
    summary = DictSummary()
    summary.add({'a': 3.0})
    with pytest.warns(UserWarning):
        polychain.serializers.load_npz(str(tmp_path / 'old.npz'), summary)
    assert summary.compute_mean() == {}
    single = Summary()
    single.add(3.0)
    with pytest.warns(UserWarning):
        polychain.serializers.load_npz(str(tmp_path / 'old.npz'), single)
    single.add(2.0)
    assert single.compute_mean() == pytest.approx(2.0)


def test_dict_summary_weights_must_be_scalars():
    with pytest.raises(ValueError, match='weight'):
        DictSummary().add({'a': (4.0, numpy.array([0.5]))})
