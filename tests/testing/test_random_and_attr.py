"""fix_random and the attr marks."""

from __future__ import annotations

import unittest

import numpy

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
    mark = attr.multi_gpu(attr.gpu_count() + 1).mark
    assert mark.name == 'skipif' and mark.args == (True,)
    assert mark.kwargs['reason'] == (f'needs {attr.gpu_count() + 1} CuPy GPU(s), '
                                     f'{attr.gpu_count()} usable here')
    assert attr.slow.mark.name == 'slow'
