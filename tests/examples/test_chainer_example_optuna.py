"""Chainer's optuna examples: their data, and one trial of ``chainer_simple.py``'s own objective.

The scripts run 100 trials of 10 epochs, fixed in their code (minutes): the
full scripts run in the examples runner; here one trial of the script's own
``objective`` runs with chosen hyper-parameters.
"""

from __future__ import annotations

import json

import pytest

from polychain_conformance.chainer_examples import fixtures, runner
from polychain_conformance.chainer_examples.catalogue import SCRIPTS

#: Runs the script's objective once, with Optuna's trial of fixed parameters.
ONE_TRIAL = """
import json, runpy
import numpy, optuna
numpy.random.seed(0)  # the initial weights: unseeded, some runs learnt one class only
example = runpy.run_path(sys.path[0] + '/chainer_simple.py', run_name='optuna_example')
trial = optuna.trial.FixedTrial({'n_layers': 2, 'n_units_l0': 64, 'n_units_l1': 32,
                                 'optimizer': 'Adam', 'adam_alpha': 1e-2,
                                 'weight_decay': 1e-6})
accuracy = example['objective'](trial)
print(json.dumps({'accuracy': float(accuracy), 'attributes': sorted(trial.user_attrs)}))
"""


def test_optuna_scripts_get_the_3000_and_1000_images_they_take(mnist_fixture):
    scripts = [script for script in SCRIPTS if script.family == 'optuna']
    assert [script.fixtures for script in scripts] == [('mnist_3000',)] * 2
    train, valid = mnist_fixture('mnist_3000')
    assert (len(train), len(valid)) == (3000, 1000)


def test_one_trial_of_chainer_simple_trains_and_reports(run_in_example, tmp_path):
    script = next(script for script in SCRIPTS if script.path == 'optuna/chainer_simple.py')
    missing = runner.missing_modules(script)
    if missing:
        pytest.skip(f'{script.path} needs {", ".join(missing)}, not installed')
    fixtures.prepare(script.fixtures, tmp_path / 'datasets', tmp_path)
    output = run_in_example(script.family, ONE_TRIAL)
    result = json.loads(output.strip().splitlines()[-1])
    # The fixture's classes are learnable: 10 epochs of a 2-layer MLP beat chance clearly.
    assert result['accuracy'] > 0.3
    assert {'main/accuracy', 'validation/main/accuracy', 'epoch'} <= set(result['attributes'])
