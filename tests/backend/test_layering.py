"""The backend layer stands alone: ``polychain.backend`` imports nothing above it, has no
imports inside functions, and is in no import cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import polychain

ROOT = Path(polychain.__file__).parent
LAYER = sorted((ROOT / 'backend').glob('*.py'))


def _polychain_imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.append(node.module)
    return [name for name in names if name == 'polychain' or name.startswith('polychain.')]


def test_the_backend_layer_imports_only_itself_at_module_level(import_cycles_tool):
    for path in LAYER:
        tree = ast.parse(path.read_text())
        assert import_cycles_tool.imports_inside_functions(path) == [], path
        outside = [name for name in _polychain_imports(tree)
                   if name != 'polychain.backend' and not name.startswith('polychain.backend.')]
        assert outside == [], path


def test_experimental_does_not_import_the_package():
    tree = ast.parse((ROOT / 'utils' / 'experimental.py').read_text())
    assert _polychain_imports(tree) == []


def test_the_backend_layer_is_in_no_import_cycle(package_import_cycles):
    for component in package_import_cycles:
        assert not [m for m in component if m.startswith('polychain.backend')], component


def test_importing_and_using_the_backend_layer_loads_no_module_above_it():
    """In a fresh process, ``polychain``'s own ``__init__`` (which imports everything) is
    replaced by an empty package, and an import hook records every polychain module loaded
    while the layer is imported and used."""
    script = textwrap.dedent(f'''
        import pickle, sys, types
        import numpy
        loaded = []
        class Recorder:
            def find_spec(self, name, path=None, target=None):
                if name.startswith('polychain.'):
                    loaded.append(name)
                return None
        sys.meta_path.insert(0, Recorder())
        package = types.ModuleType('polychain')
        package.__path__ = [{str(ROOT)!r}]
        sys.modules['polychain'] = package
        from polychain.backend import Backend, get_array_module, get_device, get_namespace
        from polychain.backend import get_device_from_array, to_host
        from polychain.backend.generator_states import generator_states, set_generator_states
        device = get_device('@numpy')
        x = device.send(numpy.arange(3.0))
        assert get_device_from_array(x) is device and get_array_module(x) is numpy
        assert get_namespace(x) is device.namespace and to_host(x) is not None
        assert pickle.loads(pickle.dumps(device)) is device
        device.random
        set_generator_states(generator_states())
        assert Backend.send(device.backend, x, device) is x
        y = Backend.scatter_add(device.backend, x, numpy.array([0, 0]), numpy.ones(2))
        assert y.tolist() == [2.0, 1.0, 2.0]
        print(' '.join(sorted(set(loaded))))
    ''')
    result = subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                            check=True)
    loaded = result.stdout.split()
    assert 'polychain.backend.registry' in loaded
    assert [name for name in loaded if not name.startswith('polychain.backend')] == []
