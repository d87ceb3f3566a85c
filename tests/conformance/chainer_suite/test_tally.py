"""Counting Chainer's tests by folder and device, and the Markdown report."""

from __future__ import annotations

from types import SimpleNamespace

from polychain_conformance.chainer_tests.tally import Tally, device_tag, outcome_of


def _report(nodeid, when='call', outcome='passed', **extra):
    return SimpleNamespace(nodeid=nodeid, when=when, passed=outcome == 'passed',
                           failed=outcome == 'failed', skipped=outcome == 'skipped', **extra)


def test_outcomes_of_each_phase():
    assert outcome_of(_report('t', 'setup')) is None
    assert outcome_of(_report('t')) == 'passed'
    assert outcome_of(_report('t', outcome='failed')) == 'failed'
    assert outcome_of(_report('t', 'setup', 'failed')) == 'errors'
    assert outcome_of(_report('t', 'setup', 'skipped')) == 'skipped'
    assert outcome_of(_report('t', outcome='skipped', wasxfail='why')) == 'xfailed'
    assert outcome_of(_report('t', wasxfail='why')) == 'xpassed'


def test_a_failed_teardown_turns_a_passed_test_into_an_error():
    tally = Tally()
    tally.add_report(_report('chainer_tests/a/test_x.py::T::test_y'))
    tally.add_report(_report('chainer_tests/a/test_x.py::T::test_y', 'teardown', 'failed'))
    assert tally.rows('@numpy')['chainer_tests/a']['errors'] == 1
    assert tally.rows('@numpy')['chainer_tests/a']['passed'] == 0


def test_rows_split_folders_and_injected_devices():
    tally = Tally(['@jax:cpu:0'])
    assert device_tag('@jax:cpu:0') == 'jax_cpu_0'
    tally.add_report(_report('chainer_tests/f/test_a.py::TestA_param_0_numpy::test_b'))
    tally.add_report(_report('chainer_tests/f/test_a.py::TestA_param_0_jax_cpu_0::test_b',
                             outcome='failed'))
    tally.add_report(_report('chainer_tests/g/test_c.py::TestC::test_d'))
    tally.add_deselected(['chainer_tests/f/test_a.py::TestA_param_0_cupy_0::test_b'])
    numpy_rows, jax_rows = tally.rows('@numpy'), tally.rows('@jax:cpu:0')
    assert numpy_rows['chainer_tests/f']['passed'] == 1
    assert numpy_rows['chainer_tests/f']['deselected'] == 1
    assert numpy_rows['chainer_tests/f']['collected'] == 2
    assert numpy_rows['chainer_tests/g']['passed'] == 1
    assert jax_rows == {'chainer_tests/f': jax_rows['chainer_tests/f']}
    assert jax_rows['chainer_tests/f']['failed'] == 1


def test_markdown_has_a_row_per_folder_and_a_pass_rate():
    tally = Tally()
    for index in range(3):
        tally.add_report(_report(f'chainer_tests/f/test_a.py::T::test_{index}'))
    tally.add_report(_report('chainer_tests/f/test_a.py::T::test_x', outcome='failed'))
    tally.add_report(_report('chainer_tests/f/test_a.py::T::test_s', outcome='skipped'))
    tally.add_collection_error('chainer_tests/h/test_broken.py')
    tally.add_collection_error('chainer_tests/h/test_caffe.py', 'needs Caffe')
    text = tally.markdown()
    assert '| chainer_tests/f | 5 | 0 | 3 | 1 | 0 | 1 | 0 | 0 | 0 | 0 | 75.0 % |' in text
    assert '| chainer_tests/h | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 1 | - |' in text
    assert '- chainer_tests/h/test_broken.py\n' in text
    assert '- chainer_tests/h/test_caffe.py: expected, needs Caffe' in text
