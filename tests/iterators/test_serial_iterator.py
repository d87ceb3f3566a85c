"""SerialIterator and ShuffleOrderSampler: batches, epoch bookkeeping, shuffling, serialization."""

import numpy
import pytest

from polychain.iterators import OrderSampler, SerialIterator, ShuffleOrderSampler

# 10 examples in batches of 3, repeating: (batch, epoch, epoch_detail, previous, is_new_epoch)
REPEATING_STEPS = [
    ([0, 1, 2], 0, 0.3, 0.0, False),
    ([3, 4, 5], 0, 0.6, 0.3, False),
    ([6, 7, 8], 0, 0.9, 0.6, False),
    ([9, 0, 1], 1, 1.2, 0.9, True),
    ([2, 3, 4], 1, 1.5, 1.2, False),
    ([5, 6, 7], 1, 1.8, 1.5, False),
    ([8, 9, 0], 2, 2.1, 1.8, True),
    ([1, 2, 3], 2, 2.4, 2.1, False),
]


def test_repeating_epoch_bookkeeping():
    iterator = SerialIterator(list(range(10)), 3, shuffle=False)
    assert (iterator.epoch, iterator.epoch_detail, iterator.previous_epoch_detail) == (0, 0., None)
    assert not iterator.is_new_epoch
    for batch, epoch, detail, previous, is_new_epoch in REPEATING_STEPS:
        assert iterator.next() == batch
        assert iterator.epoch == epoch
        assert iterator.epoch_detail == pytest.approx(detail)
        assert iterator.previous_epoch_detail == pytest.approx(previous)
        assert iterator.is_new_epoch is is_new_epoch
    assert iterator.current_position == 4


def test_non_repeating_iterator_stops_after_one_epoch():
    iterator = SerialIterator(list(range(10)), 3, repeat=False, shuffle=False)
    assert list(iterator) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    assert iterator.epoch == 1 and iterator.is_new_epoch
    assert iterator.epoch_detail == 1.
    with pytest.raises(StopIteration):
        iterator.next()


def test_reset_starts_over():
    iterator = SerialIterator(list(range(5)), 2, repeat=False, shuffle=False)
    assert len(list(iterator)) == 3
    iterator.reset()
    assert (iterator.epoch, iterator.current_position, iterator.previous_epoch_detail) == \
        (0, 0, None)
    assert list(iterator) == [[0, 1], [2, 3], [4]]


def test_batch_larger_than_the_dataset_spans_epochs():
    iterator = SerialIterator([0, 1, 2], 7, shuffle=False)
    assert iterator.next() == [0, 1, 2, 0, 1, 2, 0]
    assert iterator.epoch == 2 and iterator.is_new_epoch and iterator.current_position == 1


def test_each_shuffled_epoch_is_a_permutation():
    numpy.random.seed(0)
    iterator = SerialIterator(list(range(10)), 5)
    epochs = [iterator.next() + iterator.next() for _ in range(4)]
    for epoch in epochs:
        assert sorted(epoch) == list(range(10))
    assert any(epoch != list(range(10)) for epoch in epochs)
    assert len({tuple(epoch) for epoch in epochs}) > 1


def test_seeding_numpy_repeats_the_shuffled_orders():
    def run():
        numpy.random.seed(42)
        iterator = SerialIterator(list(range(10)), 4)
        return [iterator.next() for _ in range(6)]

    assert run() == run()


def test_custom_order_sampler_sets_each_epoch_order():
    class Reversed(OrderSampler):
        def __call__(self, current_order, current_position):
            return numpy.arange(len(current_order))[::-1]

    iterator = SerialIterator(list(range(4)), 3, order_sampler=Reversed())
    assert [iterator.next() for _ in range(3)] == [[3, 2, 1], [0, 3, 2], [1, 0, 3]]


def test_shuffle_and_order_sampler_exclude_each_other():
    with pytest.raises(ValueError, match='SerialIterator: shuffle=True and an order_sampler'):
        SerialIterator([0, 1], 1, shuffle=True, order_sampler=ShuffleOrderSampler())


def test_order_sampler_must_keep_the_length():
    lengths = iter([3, 2])
    iterator = SerialIterator([0, 1, 2], 3,
                              order_sampler=lambda order, position: numpy.arange(next(lengths)))
    with pytest.raises(ValueError, match='order of length 2, expected 3'):
        iterator.next()


def test_empty_dataset():
    with pytest.raises(ValueError, match='non-empty dataset'):
        SerialIterator([], 2, shuffle=False).next()
    assert list(SerialIterator([], 2, repeat=False, shuffle=False)) == []


def test_shuffle_order_sampler_uses_its_random_state():
    first = ShuffleOrderSampler(numpy.random.RandomState(3))(numpy.arange(8), 0)
    second = ShuffleOrderSampler(numpy.random.RandomState(3))(numpy.arange(8), 0)
    assert sorted(first) == list(range(8))
    numpy.testing.assert_array_equal(first, second)


@pytest.mark.parametrize('shuffle', [False, True])
def test_serialize_round_trip_continues_where_it_stopped(serializers, shuffle):
    DictSerializer, DictDeserializer = serializers
    numpy.random.seed(1)
    original = SerialIterator(list(range(10)), 3, shuffle=shuffle)
    for _ in range(4):
        original.next()
    saver = DictSerializer()
    original.serialize(saver)
    assert ('order' in saver.target) is shuffle
    restored = SerialIterator(list(range(10)), 3, shuffle=shuffle)
    restored.serialize(DictDeserializer(saver.target))
    assert (restored.epoch, restored.current_position, restored.is_new_epoch) == \
        (original.epoch, original.current_position, original.is_new_epoch)
    assert restored.previous_epoch_detail == pytest.approx(original.previous_epoch_detail)
    numpy.random.seed(5)
    expected = [original.next() for _ in range(5)]
    numpy.random.seed(5)
    assert [restored.next() for _ in range(5)] == expected


def test_serialize_stores_none_as_minus_one(serializers):
    DictSerializer, DictDeserializer = serializers
    saver = DictSerializer()
    SerialIterator([0, 1, 2], 2, shuffle=False).serialize(saver)
    assert saver.target['previous_epoch_detail'] == -1.
    restored = SerialIterator([0, 1, 2], 2, shuffle=False)
    restored.next()
    restored.serialize(DictDeserializer(saver.target))
    assert restored.previous_epoch_detail is None and restored.current_position == 0


def test_missing_previous_epoch_detail_is_estimated(serializers):
    _, DictDeserializer = serializers
    state = {'current_position': 5, 'epoch': 1, 'is_new_epoch': False}
    iterator = SerialIterator(list(range(10)), 2, shuffle=False)
    iterator.serialize(DictDeserializer(state))
    assert iterator.epoch_detail == pytest.approx(1.5)
    assert iterator.previous_epoch_detail == pytest.approx(1.3)
