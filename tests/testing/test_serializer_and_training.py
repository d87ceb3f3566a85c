"""save_and_load* and get_trainer_with_mock_updater."""

from __future__ import annotations

import pytest

from polychain import testing


class _Value:
    def __init__(self, value):
        self.value = value

    def serialize(self, serializer):
        self.value = serializer('value', self.value)


@pytest.mark.parametrize('round_trip', ['save_and_load_npz', 'save_and_load_hdf5'])
def test_save_and_load_copies_the_state(round_trip):
    if round_trip.endswith('hdf5'):
        pytest.importorskip('h5py')
    dst = _Value(2)
    getattr(testing, round_trip)(_Value(1), dst)
    assert dst.value == 1


@pytest.mark.parametrize('stop_trigger, iter_per_epoch, iterations', [
    ((5, 'iteration'), 2, 5), ((2, 'epoch'), 1.5, 3), ((1, 'epoch'), 0.5, 1)])
def test_mock_updater_counts_iterations_and_epochs(stop_trigger, iter_per_epoch, iterations):
    seen = []
    trainer = testing.get_trainer_with_mock_updater(stop_trigger, iter_per_epoch,
                                                    extensions=[lambda t: None])
    assert len(trainer._extensions) == 1
    trainer.extend(lambda t: seen.append((t.updater.iteration, t.updater.epoch_detail,
                                          t.updater.is_new_epoch)))
    trainer.run()
    assert len(seen) == iterations
    assert seen[0] == (1, 1 / iter_per_epoch, 1 // iter_per_epoch != 0)
    assert trainer.updater.update_core.call_count == iterations
