"""The graph layer (Variable, FunctionNode, backprop, Parameter and their helpers) sits below
the functions: ``polychain.variable`` imports only the backend layer, the functions package
installs Variable's methods and operators, and no module of the layer is in an import cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy
import pytest

import polychain

ROOT = Path(polychain.__file__).parent

GRAPH_LAYER = (
    'polychain.variable', 'polychain.function_node', 'polychain.parameter',
    'polychain.backprop', 'polychain._backprop_utils', 'polychain.compiler.tree',
    'polychain.function_hooks.function_hook',
    'polychain.graph_optimizations.static_graph_utilities', 'polychain.utils.sparse',
    'polychain.functions', 'polychain.functions.math.basic_math',
)


@pytest.mark.parametrize('name', GRAPH_LAYER)
def test_the_graph_layer_is_in_no_import_cycle(package_import_cycles, name):
    assert [sorted(component) for component in package_import_cycles if name in component] == []


def test_variable_imports_only_the_backend_layer():
    imported = set()
    for node in ast.walk(ast.parse((ROOT / 'variable.py').read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    above = sorted(name for name in imported if name.startswith('polychain')
                   and not name.startswith('polychain.backend'))
    assert above == []


def test_importing_variable_loads_only_the_backend_layer():
    """In a fresh process with ``polychain``'s ``__init__`` replaced by an empty package,
    a Variable is made and used without loading a module above the backend layer."""
    script = textwrap.dedent(f'''
        import sys, types
        import numpy
        package = types.ModuleType('polychain')
        package.__path__ = [{str(ROOT)!r}]
        sys.modules['polychain'] = package
        from polychain.variable import Variable
        x = Variable(numpy.arange(3.0), name='x')
        x.cleargrad()
        assert x.shape == (3,) and repr(x).startswith('variable x(')
        print(' '.join(sorted(name for name in sys.modules if name.startswith('polychain.'))))
    ''')
    result = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                            check=True)
    loaded = result.stdout.split()
    assert 'polychain.variable' in loaded
    assert [name for name in loaded if name != 'polychain.variable'
            and not name.startswith('polychain.backend')] == []


@pytest.mark.parametrize('name', ['reshape', 'transpose', 'mean', '__getitem__'])
def test_the_functions_install_the_methods_of_variable(name):
    method = getattr(polychain.Variable, name)
    assert method.__module__ == 'polychain.functions._variable_methods'
    assert method.__qualname__ == f'Variable.{name}' and method.__doc__


def test_the_functions_install_the_property_t():
    assert polychain.Variable.T.fget.__qualname__ == 'Variable.T'
    array = numpy.arange(6.0).reshape(2, 3)
    assert (polychain.Variable(array).T.array == array.T).all()


def test_backprop_installs_variable_backward():
    method = polychain.Variable.backward
    assert method.__module__ == 'polychain.backprop'
    assert method.__qualname__ == 'Variable.backward' and method.__doc__


@pytest.mark.parametrize('shape, category', [((2, 3), RuntimeWarning),
                                             ((1,), DeprecationWarning)])
def test_the_warnings_of_backward_name_the_caller(shape, category):
    x = polychain.Variable(numpy.ones(shape))
    y = x * 2.0
    with pytest.warns(category) as record:
        y.backward()
    assert [Path(warning.filename).name for warning in record] == [Path(__file__).name]


def test_parameter_is_named_in_the_variable_module_as_in_chainer():
    import polychain.variable
    assert polychain.variable.Parameter is polychain.Parameter
    assert 'Parameter' in vars(polychain.variable)


def test_importing_function_node_loads_no_link_or_function():
    """``polychain.function_node`` (in a fresh process with an empty ``polychain`` package)
    loads neither the functions nor the links, optimizers or graph optimizations."""
    script = textwrap.dedent(f'''
        import sys, types
        package = types.ModuleType('polychain')
        package.__path__ = [{str(ROOT)!r}]
        sys.modules['polychain'] = package
        import polychain.function_node
        print(' '.join(sorted(name for name in sys.modules if name.startswith('polychain.'))))
    ''')
    result = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                            check=True)
    above = ('polychain.functions', 'polychain.link', 'polychain.optimizer',
             'polychain.graph_optimizations', 'polychain.compiler')
    assert [name for name in result.stdout.split() if name.startswith(above)] == []


def test_static_graph_utilities_names_static_forward_optimizations_of_function_node():
    from polychain import function_node
    from polychain.graph_optimizations import static_graph_utilities
    assert static_graph_utilities.static_forward_optimizations is \
        function_node.static_forward_optimizations


@pytest.mark.parametrize('name', GRAPH_LAYER)
def test_the_graph_layer_imports_nothing_inside_functions(import_cycles_tool, name):
    path = ROOT.joinpath(*name.split('.')[1:])
    path = path / '__init__.py' if path.is_dir() else path.with_suffix('.py')
    assert import_cycles_tool.imports_inside_functions(path) == []
