"""The kernel contract: every kernel declared once in ``polychain.backend.kernels``, the
plugins' tables and the call sites keyed by the declarations."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import polychain
from polychain.backend import kernels

PLUGIN_TABLES = ['polychain_numpy.kernels', 'polychain_jax.kernels', 'polychain_cupy.kernels']


@pytest.mark.parametrize('module', PLUGIN_TABLES)
def test_plugin_tables_offer_declared_kernels_with_their_signatures(module):
    if module == 'polychain_jax.kernels':
        pytest.importorskip('jax')
    table = importlib.import_module(module).KERNELS
    assert table
    assert all(type(name) is str and name in kernels.DECLARED for name in table)
    kernels.check_table(table)


def test_check_table_refuses_undeclared_names_and_other_arities():
    with pytest.raises(ValueError, match="'im2col' is not a declared kernel"):
        kernels.check_table({'im2col': lambda x: x})

    def im2col_nd(x, ksize, stride, pad, dilate, pad_value=0):
        return x

    with pytest.raises(TypeError, match=r"'im2col_nd' takes 5 to 6 arguments.*called with 4"):
        kernels.check_table({kernels.im2col_nd: im2col_nd})


def test_a_kernel_constant_is_its_plain_name_with_a_declared_contract():
    assert kernels.erf == 'erf' and type(kernels.erf) is str  # the fast dict lookup
    contract = kernels.DECLARED[kernels.im2col_nd]
    assert list(contract.signature.parameters) == ['x', 'ksize', 'stride', 'dilate']
    assert 'error function' in kernels.DECLARED[kernels.erf].doc
    assert kernels.DECLARED['zeta'].name == kernels.zeta
    assert polychain.get_device('@numpy').kernel(kernels.window_sum_nd) is not None


def _bare_kernel_names(path: Path) -> list[str]:
    """``device.kernel('literal')``, ``backend.kernels.get('literal')`` and
    ``kernel_name = 'literal'``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and (node.func.attr == 'kernel' or node.func.attr == 'get' and
                     getattr(node.func.value, 'attr', None) == 'kernels') \
                and node.args and isinstance(node.args[0], ast.Constant):
            found.append(f'{path}:{node.lineno}')
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str) and node.value.value \
                and any(getattr(t, 'id', None) == 'kernel_name' for t in node.targets):
            found.append(f'{path}:{node.lineno}')
    return found


def test_call_sites_name_kernels_by_their_declarations():
    root = Path(polychain.__file__).parent
    bare = [site for path in sorted(root.rglob('*.py')) for site in _bare_kernel_names(path)]
    assert bare == []
