"""VariableStatisticsPlot, its Reservoir sample and its Statistician."""

import numpy
import pytest

import polychain as chainer
from polychain.training.extensions import VariableStatisticsPlot, variable_statistics_plot

from .training_setup import make_trainer


def test_reservoir_keeps_a_sorted_sample_of_the_right_size():
    reservoir = variable_statistics_plot.Reservoir(3, (2,))
    for i in range(10):
        reservoir.add(numpy.full(2, i), i)
    idxs, data = reservoir.get_data()
    assert len(idxs) == 3 and list(idxs) == sorted(idxs)
    numpy.testing.assert_array_equal(data[:, 0], idxs)


def test_statistician_gives_mean_std_and_percentiles():
    x = numpy.arange(11, dtype=numpy.float64)
    stats = variable_statistics_plot.Statistician(True, True, (0, 50, 100))(
        x, axis=None, dtype=numpy.float32)
    assert stats['mean'] == 5 and stats['std'] == pytest.approx(x.std())
    numpy.testing.assert_array_equal(stats['percentile'], [0, 5, 10])
    assert all(v.dtype == numpy.float32 for v in stats.values())


def test_plot_of_a_model_during_training(tmp_path):
    pytest.importorskip('matplotlib')
    trainer = make_trainer(tmp_path, (3, 'iteration'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(VariableStatisticsPlot(model, trigger=(3, 'iteration'), filename='s.png'),
                   trigger=(1, 'iteration'))
    trainer.run()
    assert (tmp_path / 's.png').stat().st_size > 0
    with pytest.raises(TypeError, match='Variables or Links'):
        VariableStatisticsPlot([chainer.Link(), 3])
