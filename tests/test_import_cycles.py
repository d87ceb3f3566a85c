"""The package has no import cycle, and the cycles that were broken stay broken.

The modules of each broken cycle are in no cycle and import nothing inside functions (the
cut is made by moving the shared piece down a layer or by registration, not by deferring
an import to call time).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import polychain

ROOT = Path(polychain.__file__).parent

#: The modules of the cycles that were broken.
UNCYCLED = (
    'polychain.dataset.tabular.tabular_dataset', 'polychain.dataset.tabular.delegate_dataset',
    'polychain.dataset.tabular._asmode', 'polychain.dataset.tabular._concat',
    'polychain.dataset.tabular._join', 'polychain.dataset.tabular._slice',
    'polychain.dataset.tabular._transform', 'polychain.dataset.tabular._with_converter',
    'polychain.training.updater', 'polychain.training.updaters',
    'polychain.training.updaters.standard_updater',
    'polychain.training.updaters.parallel_updater',
    'polychain.training.updaters.multiprocess_parallel_updater',
    'polychain.initializers.base', 'polychain.initializers.constant',
    'polychain.initializers.fan_scaled', 'polychain.initializers.normal',
    'polychain.functions.connection.convolution_nd',
    'polychain.functions.connection.deconvolution_nd',
    'polychain.functions.connection.convolution_nodes',
    'polychain.link', 'polychain.link_hooks.link_hook',
    'polychain.serializers.serializer',
    'polychain.utils.type_check', 'polychain.utils.type_expressions',
    'polychain.functions.math.erf', 'polychain.functions.math.special_generic',
    'polychain.utils.conv', 'polychain.utils.conv_nd',
    'polychain', 'polychain._runtime_info',
)

#: Modules of UNCYCLED that import an optional library when it is needed, with why.
IMPORTING_ON_USE = {
    'polychain._runtime_info': 'threadpoolctl (optional) is imported when a report is made',
}


def _path(name: str) -> Path:
    path = ROOT.joinpath(*name.split('.')[1:])
    return path / '__init__.py' if path.is_dir() else path.with_suffix('.py')


def test_the_package_has_no_import_cycle(import_cycles_tool, package_import_cycles):
    assert [sorted(component) for component in package_import_cycles] == []
    assert len(import_cycles_tool.largest_cycle(ROOT)) == 1


@pytest.mark.parametrize('name', UNCYCLED)
def test_the_module_is_in_no_cycle(package_import_cycles, name):
    assert [sorted(c) for c in package_import_cycles if name in c] == []


@pytest.mark.parametrize('name', [name for name in UNCYCLED if name not in IMPORTING_ON_USE])
def test_the_module_imports_nothing_inside_functions(import_cycles_tool, name):
    assert import_cycles_tool.imports_inside_functions(_path(name)) == []


def test_link_hooks_of_with_blocks_register_in_the_registry_of_link():
    from polychain import link, link_hooks
    hook = link_hooks.TimerHook()
    with hook:
        assert link.link_hook_registry.hooks == {hook.name: hook}
        assert link_hooks.get_link_hooks() == {hook.name: hook}
        assert link.Link._hooked == 1
    assert link.Link._hooked == 0 and link.link_hook_registry.hooks == {}


def test_the_output_sizes_of_convolutions_are_one_pair_of_functions():
    from polychain.utils import conv, conv_nd, windows
    assert conv.get_conv_outsize is conv_nd.get_conv_outsize is windows.get_conv_outsize
    assert conv.get_deconv_outsize is conv_nd.get_deconv_outsize is windows.get_deconv_outsize
