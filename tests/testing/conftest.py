"""Running generated test classes programmatically, to check what they report."""

from __future__ import annotations

import unittest

import pytest


def run_test_class(cls: type) -> unittest.TestResult:
    """Runs every test of the unittest class ``cls``; returns the result."""
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(cls).run(result)
    return result


@pytest.fixture
def run_tests():
    """``run_tests(cls)`` runs a test class and returns its ``unittest.TestResult``."""
    return run_test_class
