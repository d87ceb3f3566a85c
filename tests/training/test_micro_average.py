"""MicroAverage."""

import pytest

from polychain.serializers import DictionarySerializer, NpzDeserializer
from polychain.training import extensions

from .training_setup import make_trainer, scripted_observation

CORRECT = {1: 1.0, 2: 3.0, 3: 0.0, 4: 4.0, 5: 2.0, 6: 2.0, 7: 1.0, 8: 1.0}
TOTAL = {1: 2.0, 2: 4.0, 3: 1.0, 4: 5.0, 5: 2.0, 6: 2.0, 7: 3.0, 8: 1.0}


def test_reports_the_ratio_of_the_sums_each_epoch(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(scripted_observation('correct', CORRECT))
    trainer.extend(scripted_observation('total', TOTAL), name='total')
    trainer.extend(extensions.MicroAverage('correct', 'total', 'ratio'))
    trainer.extend(extensions.LogReport())
    trainer.run()
    ratios = [entry['ratio'] for entry in trainer.get_extension('LogReport').log]
    assert ratios == pytest.approx([8 / 12, 6 / 8])


def test_serialize_keeps_the_running_sums(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'iteration'))
    trainer.extend(scripted_observation('correct', CORRECT))
    trainer.extend(scripted_observation('total', TOTAL), name='total')
    average = extensions.MicroAverage('correct', 'total', 'ratio')
    trainer.extend(average)
    trainer.run()
    saved = DictionarySerializer()
    average.serialize(saved)
    restored = extensions.MicroAverage('correct', 'total', 'ratio')
    NpzDeserializer(saved.target).load(restored)
    assert (restored._numerator, restored._denominator) == (4.0, 6.0)
