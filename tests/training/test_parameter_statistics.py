"""ParameterStatistics on every backend."""

import math

import numpy
import pytest

from polychain import links as L
from polychain.reporter import Reporter
from polychain.training import extensions

from .training_setup import make_trainer

PERCENTILES = (0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87)


def always(trainer):
    return True


def make_link(device):
    rng = numpy.random.RandomState(0)
    weights = rng.randn(4, 5).astype(numpy.float32)
    weights[0, :2] = 0
    link = L.Linear(5, 4, initialW=weights, initial_bias=numpy.zeros(4, numpy.float32))
    link.to_device(device)
    link.cleargrads()
    link.W.grad = device.send(2 * weights)
    return link, weights


def collect(extension):
    observation = {}
    with Reporter().scope(observation):
        extension(None)
    return observation


def test_default_statistics_match_numpy(device):
    link, weights = make_link(device)
    observation = collect(extensions.ParameterStatistics(link, trigger=always))
    for attr, values in (('data', weights), ('grad', 2 * weights)):
        key = f'None/W/{attr}'
        assert observation[f'{key}/mean'] == pytest.approx(values.mean(), rel=1e-5)
        assert observation[f'{key}/std'] == pytest.approx(values.std(), rel=1e-5)
        assert observation[f'{key}/min'] == pytest.approx(values.min())
        assert observation[f'{key}/max'] == pytest.approx(values.max())
        assert observation[f'{key}/zeros'] == 2
        for i, q in enumerate(PERCENTILES):
            assert observation[f'{key}/percentile/{i}'] == \
                pytest.approx(numpy.percentile(values, q), rel=1e-5, abs=1e-6)
    assert 'None/b/grad/mean' not in observation  # b has no gradient yet


def test_keys_follow_link_names_and_prefix(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'iteration'))
    model = trainer.updater.get_optimizer('main').target
    trainer.extend(extensions.ParameterStatistics(model.predictor, {'max': numpy.max},
                                                  report_grads=False, prefix='stats',
                                                  trigger=(1, 'iteration')))
    trainer.extend(extensions.LogReport(trigger=(1, 'iteration')))
    trainer.run()
    entry = trainer.get_extension('LogReport').log[-1]
    assert {'stats/predictor/W/data/max', 'stats/predictor/b/data/max'} <= set(entry)
    assert not any('/grad/' in key for key in entry)
    assert entry['stats/predictor/W/data/max'] == \
        pytest.approx(float(model.predictor.W.array.max()))


def test_values_are_averaged_until_the_trigger_fires(device):
    link, weights = make_link(device)
    fired = iter([False, True])
    extension = extensions.ParameterStatistics(link, statistics=None, report_grads=False,
                                               trigger=lambda trainer: next(fired))
    scale = [1.0]
    extension.register_statistics('scaled', lambda x: scale[0] * device.xp.max(x))
    observation = {}
    with Reporter().scope(observation):
        extension(None)
        assert observation == {}
        scale[0] = 3.0
        extension(None)
    assert observation == {'None/W/data/scaled': pytest.approx(2 * weights.max()),
                           'None/b/data/scaled': 0.0}


def test_skip_nan_params(device):
    link, weights = make_link(device)
    weights[1, 1] = numpy.nan
    link.W.array = device.send(weights)
    observation = collect(extensions.ParameterStatistics(
        link, {'mean': numpy.mean}, report_grads=False, trigger=always, skip_nan_params=True))
    assert math.isnan(observation['None/W/data/mean'])
    assert observation['None/b/data/mean'] == 0.0
