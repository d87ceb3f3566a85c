"""``chainer`` names polychain's own module objects while the alias is installed."""

from __future__ import annotations

import importlib
import sys

import pytest

import polychain
import polychain.functions.math.basic_math
from polychain_conformance.chainer_tests import alias


@pytest.fixture
def installed():
    alias.install()
    yield
    alias.uninstall()


def test_chainer_and_its_submodules_are_polychains_modules(installed):
    chainer = importlib.import_module('chainer')
    basic_math = importlib.import_module('chainer.functions.math.basic_math')
    assert chainer is polychain
    assert basic_math is polychain.functions.math.basic_math
    assert importlib.import_module('chainer.functions') is polychain.functions


def test_aliased_modules_keep_their_own_spec(installed):
    importlib.import_module('chainer.links')
    assert polychain.links.__spec__.name == 'polychain.links'
    assert polychain.__spec__.name == 'polychain'


def test_a_missing_submodule_is_not_found(installed):
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module('chainer.no_such_module')


def test_uninstall_forgets_every_chainer_name(installed):
    importlib.import_module('chainer.functions')
    alias.uninstall()
    assert not [name for name in sys.modules if name == 'chainer' or name.startswith('chainer.')]
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module('chainer')


def test_importing_a_module_by_its_chainer_name_keeps_the_function_of_that_name(installed):
    """chainer.utils.experimental is a function and the name of its module (as in Chainer):
    importing the module under its chainer name must not rebind the function."""
    module = importlib.import_module('chainer.utils.experimental')
    assert module is sys.modules['polychain.utils.experimental']
    assert callable(polychain.utils.experimental)
    assert polychain.utils.experimental is module.experimental
