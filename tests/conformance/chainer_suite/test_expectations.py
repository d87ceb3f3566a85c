"""The expected-failure file: entries, their reasons and which test ids they cover."""

from __future__ import annotations

import pytest

from polychain_conformance.chainer_tests.expectations import DEFAULT_PATH, Expectations, read


def _expectations(tmp_path, text):
    path = tmp_path / 'expected.txt'
    path.write_text(text)
    return Expectations(read(path))


def test_an_entry_covers_the_ids_its_pattern_matches(tmp_path):
    expected = _expectations(tmp_path, '# comment\n\n'
                             'chainer_tests/a/test_x.py::TestX_param_0*::test_b  # b is wrong\n')
    assert expected.reason('chainer_tests/a/test_x.py::TestX_param_0_numpy::test_b') == 'b is wrong'
    assert expected.reason('chainer_tests/a/test_x.py::TestX_param_1_numpy::test_b') is None
    assert expected.reason('chainer_tests/a/test_x.py::TestX_param_0_numpy::test_c') is None


def test_brackets_and_dots_are_literal(tmp_path):
    expected = _expectations(tmp_path, 'chainer_tests/t.py::test_f[a.b]  # bracketed\n')
    assert expected.reason('chainer_tests/t.py::test_f[a.b]') == 'bracketed'
    assert expected.reason('chainer_tests/t.py::test_f[axb]') is None


def test_a_pattern_with_a_wildcard_file_covers_every_file(tmp_path):
    expected = _expectations(tmp_path, 'chainer_tests/links_tests/*::test_serialize  # npz\n')
    assert expected.reason('chainer_tests/links_tests/model/test_c.py::TestC::test_serialize') \
        == 'npz'


def test_the_first_matching_entry_gives_the_reason(tmp_path):
    expected = _expectations(tmp_path, 'chainer_tests/t.py::TestA::*  # first\n'
                                       'chainer_tests/t.py::*  # second\n')
    assert expected.reason('chainer_tests/t.py::TestA::test_x') == 'first'
    assert expected.reason('chainer_tests/t.py::TestB::test_x') == 'second'


def test_an_entry_without_a_reason_is_refused(tmp_path):
    path = tmp_path / 'expected.txt'
    path.write_text('chainer_tests/t.py::TestA::test_x\n')
    with pytest.raises(ValueError, match=r'expected.txt:1: expected "PATTERN  # reason"'):
        read(path)


def test_the_shipped_file_gives_every_entry_a_reason():
    for entry in read(DEFAULT_PATH):
        assert entry.pattern.startswith(('chainer_tests/', 'chainermn_tests/')), entry
        assert entry.reason, entry
