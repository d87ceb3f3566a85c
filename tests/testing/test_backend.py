"""BackendConfig, inject_backend_tests and available_backend_configs."""

from __future__ import annotations

import unittest

import pytest

import polychain
from polychain import testing
from polychain.testing import BackendConfig

from .devices import class_suffix, is_usable


@pytest.mark.parametrize('params, spec', [
    ({}, '@numpy'),
    ({'use_cuda': False}, '@numpy'),
    ({'use_cuda': True}, '@cupy:0'),
    ({'use_cuda': True, 'cuda_device': 1}, '@cupy:1'),
    ({'device': '@jax:cpu:0'}, '@jax:cpu:0'),
])
def test_configs_map_to_devices(params, spec):
    assert BackendConfig(params).device_spec == spec


@pytest.mark.parametrize('params, cuda_device', [
    ({}, None), ({'use_cuda': True}, 0), ({'use_cuda': True, 'cuda_device': 1}, 1),
    ({'device': '@cupy:2'}, 2)])
def test_cuda_configs_name_their_gpu(params, cuda_device):
    assert BackendConfig(params).cuda_device == cuda_device


def test_config_gives_device_namespace_and_arrays(device, rng):
    config = BackendConfig({'device': str(device)})
    assert config.device is device and config.xp is device.xp
    assert config.use_cuda == str(device).startswith('@cupy')
    array = config.get_array(rng.standard_normal(3))
    assert polychain.get_device_from_array(array) is device


def test_config_sets_config_entries_while_entered():
    with BackendConfig({'use_cudnn': 'always'}):
        assert polychain.config.use_cudnn == 'always'
    assert polychain.config.use_cudnn == 'never'


def test_config_makes_its_device_current_and_nests(device, monkeypatch):
    entered = []
    real = testing.backend.using_device

    def recording_using_device(spec):
        entered.append(spec)
        return real(spec)
    monkeypatch.setattr(testing.backend, 'using_device', recording_using_device)
    outer, inner = BackendConfig({'use_cudnn': 'always'}), BackendConfig({'device': str(device)})
    with outer:
        with inner:
            with inner:  # the same configuration entered twice
                assert polychain.config.use_cudnn == 'never'
            assert polychain.config.use_cudnn == 'never'
        assert polychain.config.use_cudnn == 'always'
    assert polychain.config.use_cudnn == 'never'
    assert entered == [outer.device, device, device]


def test_unusable_devices_skip_with_reason():
    with pytest.raises(unittest.SkipTest, match='ChainerX does not exist in polychain'):
        _ = BackendConfig({'use_chainerx': True, 'chainerx_device': 'native:0'}).device
    with pytest.raises(unittest.SkipTest, match="device @nosuch is not available here: "
                                                "unknown backend 'nosuch'"):
        _ = BackendConfig({'device': '@nosuch'}).device


@pytest.mark.parametrize('params, message', [
    ({'use_gpu': True}, "unknown parameter\\(s\\) \\['use_gpu'\\]"),
    ({'device': 'numpy'}, 'expected a device specifier'),
    ({'device': '@numpy', 'use_cuda': True}, 'either device or use_cuda'),
])
def test_invalid_configs_are_rejected(params, message):
    with pytest.raises(ValueError, match=message):
        BackendConfig(params)


def test_inject_generates_one_class_per_distinct_config(run_tests):
    seen = []

    @testing.inject_backend_tests(None, [{}, {'device': '@numpy'}, {'device': '@jax:cpu:0'},
                                         {'use_cuda': True, 'use_cudnn': 'always'}])
    class TestDevices(unittest.TestCase):
        def test_device(self, backend_config):
            seen.append(str(backend_config.device))

    assert [cls.__name__ for cls in TestDevices] == [
        'TestDevices_numpy', 'TestDevices_jax_cpu_0', 'TestDevices_cupy_0__use_cudnn_always']
    specs = ['@numpy', '@jax:cpu:0', '@cupy:0']
    for cls, spec in zip(TestDevices, specs):
        result = run_tests(cls)
        assert result.testsRun == 1 and result.wasSuccessful(), (spec, result.errors)
        if is_usable(spec):
            assert not result.skipped, spec
        else:
            (_, reason), = result.skipped
            assert reason.startswith(f'device {spec} is not available here: ')
    assert seen == [spec for spec in specs if is_usable(spec)]


def test_inject_with_method_names_keeps_other_tests_once(run_tests):
    configs = []

    @testing.inject_backend_tests(['test_with_config'], [{}, {'use_cudnn': 'always'}])
    class TestSome(unittest.TestCase):
        def test_with_config(self, backend_config):
            configs.append(backend_config.get_func_str())

        def test_plain(self):
            configs.append(None)

    names = {cls.__name__: unittest.defaultTestLoader.getTestCaseNames(cls) for cls in TestSome}
    assert names == {'TestSome_without_backend': ['test_plain'],
                     'TestSome_numpy': ['test_with_config'],
                     'TestSome_numpy__use_cudnn_always': ['test_with_config']}
    results = [run_tests(cls) for cls in TestSome]
    assert all(result.wasSuccessful() and not result.skipped for result in results)
    assert configs == [None, 'numpy', 'numpy__use_cudnn_always']


def test_inject_rejects_wrong_arguments():
    with pytest.raises(TypeError, match='expected None or a list as method_names'):
        testing.inject_backend_tests('test_forward', [{}])
    with pytest.raises(TypeError, match='expected a list of dicts as params'):
        testing.inject_backend_tests(None, [{}, '@numpy'])


def test_available_backend_configs_lists_usable_devices():
    available = {info.name: info for info in polychain.list_backends()}
    configs = testing.available_backend_configs()
    assert configs == [{'device': info.devices[0]} for info in available.values()
                       if info.available]
    assert {'device': '@numpy'} in configs
    every = testing.available_backend_configs(all_devices=True)
    assert every == [{'device': spec} for info in available.values() if info.available
                     for spec in info.devices]
    for config in every:
        assert str(polychain.get_device(config['device'])) == config['device']
        assert class_suffix(config['device']) == BackendConfig(config).get_func_str()
    with_missing = testing.available_backend_configs(include_unavailable=True)
    missing = [name for name, info in available.items() if not info.available]
    assert [c for c in with_missing if c not in configs] == [
        {'device': f'@{name}'} for name in missing]
