"""``chainer`` names polychain's own module objects while the alias is installed."""

from __future__ import annotations

import importlib
import sys
from unittest import mock

import pytest

import polychain
import polychain.functions.math.basic_math
from polychain_conformance.chainer_tests import alias


@pytest.fixture
def installed():
    alias.install()
    yield
    alias.uninstall()


def test_chainers_submodules_are_polychains_modules(installed):
    chainer = importlib.import_module('chainer')
    basic_math = importlib.import_module('chainer.functions.math.basic_math')
    assert basic_math is polychain.functions.math.basic_math
    assert importlib.import_module('chainer.functions') is polychain.functions
    assert chainer.functions is polychain.functions
    assert chainer.Variable is polychain.Variable


def test_chainer_reports_the_chainer_api_version_and_polychain_its_own(installed):
    chainer = importlib.import_module('chainer')
    assert chainer.__version__ == '7.8.1' == polychain.chainer_api_version
    assert polychain.__version__ == polychain._version.__version__
    assert polychain.__version__ != chainer.__version__


def test_attributes_set_and_deleted_through_either_name_are_the_same(installed):
    chainer = importlib.import_module('chainer')
    chainer.alias_probe = 1
    assert polychain.alias_probe == 1
    polychain.alias_probe = 2
    assert chainer.alias_probe == 2
    del chainer.alias_probe
    assert not hasattr(polychain, 'alias_probe')
    assert chainer.__dict__ is polychain.__dict__
    assert chainer.config is polychain.config


def test_patching_through_chainer_patches_polychain_and_restores_it(installed):
    chainer = importlib.import_module('chainer')
    original = polychain.Variable
    with mock.patch.object(chainer, 'Variable', 'patched'):
        assert polychain.Variable == 'patched'
    assert polychain.Variable is original
    with mock.patch('chainer.config.train', False):
        assert not polychain.config.train
    assert polychain.config.train


def test_importing_a_submodule_of_chainer_binds_it_on_polychain(installed):
    functions = polychain.functions
    del polychain.functions
    sys.modules.pop('chainer.functions')
    try:
        assert importlib.import_module('chainer.functions') is functions
        assert polychain.functions is functions
    finally:
        polychain.functions = functions


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
