"""DaliIterator: unavailable without DALI; its epochs on a stand-in pipeline."""

import pytest

from polychain import iterators
from polychain.iterators import dali_iterator
from polychain.serializers import DictionarySerializer, NpzDeserializer


class FakePipeline:
    """Runs like a DALI pipeline of 10 examples in batches of 4."""

    batch_size = 4

    def __init__(self):
        self.built = 0
        self.runs = 0

    def build(self):
        self.built += 1

    def epoch_size(self):
        return {'reader': 10}

    def run(self):
        self.runs += 1
        return ('images', self.runs)


@pytest.fixture
def with_dali(monkeypatch):
    monkeypatch.setattr(dali_iterator, 'dali_available', lambda: True)


def test_raises_without_dali():
    if dali_iterator.dali_available():
        pytest.skip('DALI is installed here')
    with pytest.raises(RuntimeError, match='DALI is not installed'):
        iterators.DaliIterator(FakePipeline())


def test_counts_epochs_from_the_reader_size(with_dali):
    pipeline = FakePipeline()
    with pytest.warns(FutureWarning, match='experimental'):
        iterator = iterators.DaliIterator(pipeline)
    assert iterator.previous_epoch_detail is None and pipeline.built == 0
    assert iterator.next() == ('images', 1)
    assert pipeline.built == 1 and iterator.batch_size == 4
    assert iterator.epoch_detail == pytest.approx(0.4) and iterator.previous_epoch_detail == 0
    iterator.next()
    assert not iterator.is_new_epoch
    iterator.next()
    assert iterator.is_new_epoch and iterator.epoch == 1
    assert iterator.epoch_detail == pytest.approx(1.2)
    assert iterator.previous_epoch_detail == pytest.approx(0.8)
    assert pipeline.built == 1


def test_stops_after_one_epoch_without_repeat(with_dali):
    with pytest.warns(FutureWarning):
        iterator = iterators.DaliIterator(FakePipeline(), repeat=False)
    assert len(list(iterator)) == 3


def test_serializes_its_position(with_dali):
    with pytest.warns(FutureWarning):
        iterator = iterators.DaliIterator(FakePipeline())
    iterator.next()
    iterator.next()
    saved = {}
    iterator.serialize(DictionarySerializer(saved))
    with pytest.warns(FutureWarning):
        restored = iterators.DaliIterator(FakePipeline())
    restored.serialize(NpzDeserializer(saved))
    assert (restored.current_position, restored.epoch) == (8, 0)
    assert restored.previous_epoch_detail == pytest.approx(0.4)
