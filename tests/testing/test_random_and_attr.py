"""fix_random and the attr marks."""

from __future__ import annotations

import re
import unittest

import numpy
import pytest

from polychain import testing
from polychain.testing import attr


def test_fix_random_seeds_and_restores():
    @testing.fix_random()
    def draw():
        return numpy.random.uniform()

    numpy.random.seed(123)
    state_before = numpy.random.get_state()[1].copy()
    first, second = draw(), draw()
    assert first == second
    assert (numpy.random.get_state()[1] == state_before).all()


def test_fix_random_on_a_class_seeds_before_set_up(run_tests):
    draws = []

    @testing.fix_random()
    class TestDraw(unittest.TestCase):
        def setUp(self):
            draws.append(numpy.random.uniform())

        def test_a(self):
            pass

        def test_b(self):
            pass

    assert run_tests(TestDraw).wasSuccessful()
    assert len(draws) == 2 and draws[0] == draws[1]


def test_gpu_marks_skip_without_enough_gpus():
    @attr.multi_gpu(attr.gpu_count() + 1)
    def needs_more_gpus():
        pass

    marks = {mark.name: mark for mark in needs_more_gpus.pytestmark}
    assert marks['multi_gpu'].kwargs == {'gpu': attr.gpu_count() + 1}
    reason = f'needs {attr.gpu_count() + 1} CuPy GPU(s), {attr.gpu_count()} usable here'
    assert marks['skip'].kwargs['reason'] == reason
    with pytest.raises(unittest.SkipTest, match=re.escape(reason)):  # skips under unittest too
        needs_more_gpus()
    assert attr.slow.mark.name == 'slow'


@pytest.mark.parametrize('name', ['gpu', 'cudnn', 'chainerx', 'ideep'])
def test_hardware_attributes_are_marks_of_their_name(name):
    @getattr(attr, name)
    class TestNeedsHardware:
        pass

    assert name in [mark.name for mark in TestNeedsHardware.pytestmark]


@pytest.mark.parametrize('name', ['chainerx', 'ideep'])
def test_chainerx_and_ideep_tests_always_skip(name):
    @getattr(attr, name)
    def test_uses_it():
        pass

    skips = [mark for mark in test_uses_it.pytestmark if mark.name == 'skip']
    assert skips and 'polychain' in skips[0].kwargs['reason']


def test_fix_random_on_parameterized_classes_seeds_each(run_tests):
    draws = []

    @testing.fix_random()
    @testing.parameterize({'n': 1}, {'n': 2})
    class TestDraw(unittest.TestCase):
        def setUp(self):
            draws.append(numpy.random.uniform())

        def test_a(self):
            pass

    assert isinstance(TestDraw, testing.TestCaseBundle)
    for cls in TestDraw:
        assert run_tests(cls).wasSuccessful()
    assert len(draws) == 2 and draws[0] == draws[1]


def test_generate_seed_draws_from_the_fixed_generator():
    @testing.fix_random()
    def draw_seed():
        return testing.generate_seed()

    assert draw_seed() == draw_seed()
    with pytest.raises(RuntimeError, match='fix_random'):
        testing.generate_seed()


def test_marks_keep_their_name_where_a_conftest_rebinds_them(monkeypatch):
    import importlib
    monkeypatch.setattr(pytest.mark, 'chainerx', pytest.mark.skip, raising=False)
    reloaded = importlib.reload(attr)
    try:
        @reloaded.chainerx
        def test_uses_chainerx():
            pass
        assert 'chainerx' in [mark.name for mark in test_uses_chainerx.pytestmark]
    finally:
        monkeypatch.undo()
        importlib.reload(attr)
