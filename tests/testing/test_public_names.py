"""Every public name of Chainer v7's chainer.testing exists in polychain.testing."""

from __future__ import annotations

import pytest

from polychain import testing

#: chainer.testing's public names (Chainer 7.8.1).
CHAINER_NAMES = (
    'BackendConfig FunctionTestCase FunctionTestError InitializerArgument '
    'LinkInitializersTestCase LinkTestCase LinkTestError assert_allclose assert_warns '
    'distribution_unittest fix_random from_pytest_parameterize generate_matrix generate_seed '
    'get_trainer_with_mock_updater inject_backend_tests parameterize parameterize_pytest patch '
    'product product_dict run_module save_and_load save_and_load_hdf5 save_and_load_npz '
    'unary_math_function_unittest with_requires without_requires').split()
#: Submodules Chainer's tests import from chainer.testing.
SUBMODULES = ('array', 'attr', 'backend', 'condition', 'function_link', 'matrix',
              'parameterized', 'random', 'serializer', 'training')


@pytest.mark.parametrize('name', CHAINER_NAMES)
def test_chainer_name_exists(name):
    assert getattr(testing, name) is not None
    assert name in dir(testing)


@pytest.mark.parametrize('name', SUBMODULES)
def test_submodule_imports(name):
    module = getattr(testing, name)
    assert module.__name__ == f'polychain.testing.{name}'


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match='no_such_helper'):
        testing.no_such_helper  # noqa: B018
