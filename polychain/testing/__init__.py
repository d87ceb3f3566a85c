"""Chainer's testing helpers: parameterized and backend-injected test cases on any backend.

``import polychain as chainer`` then ``chainer.testing.FunctionTestCase``,
``chainer.testing.parameterize`` and so on work as in Chainer v7. Backend
configurations accept Chainer's dicts (``{}``, ``{'use_cuda': True}``) and
polychain's (``{'device': '@jax:cpu:0'}``); :func:`available_backend_configs`
lists the devices usable here.

The members are loaded on first access, so ``import polychain`` does not
import ``unittest`` or ``pytest``.
"""

from __future__ import annotations

import importlib
from typing import Any

_MEMBERS = {
    'assert_allclose': 'array',
    'BackendConfig': 'backend',
    'available_backend_configs': 'backend',
    'inject_backend_tests': 'backend',
    'TestCaseBundle': 'case_bundle',
    'distribution_unittest': 'distribution_test',
    'FunctionTestCase': 'function_test_case',
    'FunctionTestError': 'function_test_case',
    'assert_warns': 'helper',
    'patch': 'helper',
    'run_module': 'helper',
    'with_requires': 'helper',
    'without_requires': 'helper',
    'InitializerArgument': 'link_initializers_test_case',
    'LinkInitializersTestCase': 'link_initializers_test_case',
    'LinkTestCase': 'link_test_case',
    'LinkTestError': 'link_test_case',
    'generate_matrix': 'matrix',
    'from_pytest_parameterize': 'parameterized',
    'parameterize': 'parameterized',
    'parameterize_pytest': 'parameterized',
    'product': 'parameterized',
    'product_dict': 'parameterized',
    'fix_random': 'random',
    'generate_seed': 'random',
    'save_and_load': 'serializer',
    'save_and_load_hdf5': 'serializer',
    'save_and_load_npz': 'serializer',
    'get_trainer_with_mock_updater': 'training',
    'unary_math_function_unittest': 'unary_math_function_test',
}
_SUBMODULES = ('array', 'attr', 'backend', 'case_bundle', 'condition', 'distribution_test',
               'function_link', 'function_test_case', 'helper', 'link_initializers_test_case',
               'link_test_case', 'matrix', 'parameterized', 'random', 'serializer',
               'training', 'unary_math_function_test')

__all__ = sorted(_MEMBERS) + ['attr', 'condition']


def __getattr__(name: str) -> Any:
    if name in _MEMBERS:
        value = getattr(importlib.import_module(f'{__name__}.{_MEMBERS[name]}'), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f'{__name__}.{name}')
    else:
        raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MEMBERS) | set(_SUBMODULES))
