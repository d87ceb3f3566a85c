"""The strict backend as polychain sees it: registration, devices, transfer, arithmetic."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import backend_names, get_backend, get_device_from_array, to_host
from polychain_strict import StrictBackend

SPECS = ('@strict', '@strict:1', '@strict:2')


def test_registered_through_the_entry_point():
    assert 'strict' in backend_names()
    assert isinstance(get_backend('strict'), StrictBackend)


@pytest.mark.parametrize('spec', SPECS)
def test_specifier_round_trips(spec):
    device = polychain.get_device(spec)
    assert str(device) == spec
    assert polychain.get_device(str(device)) is device


def test_index_zero_is_the_default_device():
    assert polychain.get_device('@strict:0') is polychain.get_device('@strict')
    assert [str(d) for d in get_backend('strict').devices()] == list(SPECS)


@pytest.mark.parametrize('spec', ['@strict:3', '@strict:cpu', '@strict:1:0'])
def test_unknown_device_is_a_value_error_naming_it(spec):
    with pytest.raises(ValueError, match=spec):
        polychain.get_device(spec)


@pytest.mark.parametrize('spec', SPECS)
def test_host_round_trip_copies(spec):
    device = polychain.get_device(spec)
    host = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    array = device.send(host)
    host[0, 0] = 100
    back = to_host(array)
    assert get_device_from_array(array) is device
    assert back.dtype == numpy.float32 and back[0, 0] == 0
    back[0, 1] = 100
    assert to_host(array)[0, 1] == 1


def test_send_between_devices():
    array = polychain.get_device('@strict').send(numpy.arange(3.0))
    moved = polychain.get_device('@strict:2').send(array)
    assert str(get_device_from_array(moved)) == '@strict:2'
    numpy.testing.assert_array_equal(to_host(moved), [0.0, 1.0, 2.0])


def test_arrays_of_two_devices_do_not_mix():
    a = polychain.Variable(polychain.get_device('@strict').send(numpy.ones(2)))
    b = polychain.Variable(polychain.get_device('@strict:1').send(numpy.ones(2)))
    with pytest.raises(ValueError, match='@strict, @strict:1'):
        a + b


def test_backward_on_a_non_default_device():
    device = polychain.get_device('@strict:1')
    x = polychain.Variable(device.send(numpy.array([1.0, -2.0, 3.0], dtype=numpy.float32)))
    y = F.sum(F.relu(x) * 3.0)
    y.backward()
    assert x.grad_var.device is device
    numpy.testing.assert_array_equal(to_host(x.grad), [3.0, 0.0, 3.0])


def test_describe_names_the_library():
    assert get_backend('strict').describe().startswith('array_api_strict ')


def test_xp_is_the_library_and_namespace_its_array_api_wrapper():
    import array_api_compat
    import array_api_strict
    device = polychain.get_device('@strict:1')
    x = device.send(numpy.ones(2))
    assert device.xp is array_api_strict
    assert device.namespace is array_api_compat.array_namespace(x)
    assert polychain.get_array_module(x) is array_api_strict
    assert polychain.Variable(x).xp is array_api_strict


@pytest.mark.parametrize('spec', SPECS)
def test_gradient_noise_of_a_custom_function_lands_on_the_parameters_device(spec):
    from polychain import optimizer_hooks, optimizers

    device = polychain.get_device(spec)
    param = polychain.Parameter(device.send(numpy.ones(3, 'f')))
    param.grad = device.send(numpy.full(3, 0.5, 'f'))
    optimizer = optimizers.SGD(lr=1.0).setup(polychain.Link())
    rule = optimizer.create_update_rule()
    hook = optimizer_hooks.GradientNoise(
        0.3, lambda xp, shape, dtype, hook, rule: xp.full(shape, 0.25, dtype=dtype))
    hook(rule, param)
    assert get_device_from_array(param.grad) is device
    numpy.testing.assert_array_equal(to_host(param.grad), numpy.full(3, 0.75, 'f'))


def test_conformance_suite_passes_on_every_device_with_the_plugins_expected_failures():
    from polychain_conformance.cli import main

    cases = 'GradientNoise,get_item_integer_array_and_slice,radd_array,rmatmul_array'
    argv = ['--backend', 'strict', '--case', cases]
    assert main([*argv, '--xfails', 'polychain_strict:conformance_xfails.toml']) == 0
