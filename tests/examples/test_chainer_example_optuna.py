"""The data of Chainer's optuna examples (their 100 trials take minutes: not run here)."""

from __future__ import annotations

import polychain
from polychain_conformance.chainer_examples import fixtures
from polychain_conformance.chainer_examples.catalogue import SCRIPTS


def test_optuna_scripts_get_the_3000_and_1000_images_they_take(tmp_path):
    scripts = [script for script in SCRIPTS if script.family == 'optuna']
    assert [script.fixtures for script in scripts] == [('mnist_3000',)] * 2
    fixtures.prepare(['mnist_3000'], tmp_path, tmp_path)
    polychain.dataset.set_dataset_root(str(tmp_path))
    try:
        train, valid = polychain.datasets.get_mnist()
    finally:
        polychain.dataset.set_dataset_root(None)
    assert (len(train), len(valid)) == (3000, 1000)
