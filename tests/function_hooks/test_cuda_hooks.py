"""The CUDA hooks: unavailable without CuPy; their logic on a stand-in."""

import io
import re
import types
from unittest import mock

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import cuda, function_hooks


def _cupy_usable():
    return cuda.available


@pytest.mark.skipif(_cupy_usable(), reason='CuPy is usable here')
@pytest.mark.parametrize('hook', [function_hooks.CUDAProfileHook,
                                  function_hooks.CupyMemoryProfileHook])
def test_unavailable_without_cupy(hook):
    with pytest.raises(RuntimeError, match='CUDA is not available'):
        hook()


class _FakeMemoryHook:
    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None


@pytest.fixture
def fake_cupy(monkeypatch):
    """A stand-in ``cupy`` with NVTX and memory hooks, so the hooks' logic runs on the host."""
    cupy = types.ModuleType('cupy')
    nvtx = types.SimpleNamespace(RangePush=mock.Mock(), RangePop=mock.Mock())
    cupy.cuda = types.SimpleNamespace(
        nvtx_enabled=True, nvtx=nvtx,
        memory_hook=types.SimpleNamespace(MemoryHook=_FakeMemoryHook))
    monkeypatch.setattr(cuda, 'check_cuda_available', lambda: None)
    monkeypatch.setattr(cuda, 'cupy', cupy, raising=False)
    return cupy


def test_profile_hook_pushes_a_range_per_forward_and_backward(fake_cupy):
    x = polychain.Variable(numpy.ones(3, 'f'))
    nvtx = fake_cupy.cuda.nvtx
    hook = function_hooks.CUDAProfileHook()
    assert hook.name == 'CUDAProfileHook'
    with hook:
        y = x + x
    nvtx.RangePush.assert_called_once_with('_ + _.forward')
    nvtx.RangePop.assert_called_once_with()
    y.grad = numpy.ones(3, 'f')
    nvtx.RangePush.reset_mock()
    with hook:
        y.backward()
    nvtx.RangePush.assert_called_once_with('_ + _.backward')


def test_profile_hook_needs_nvtx(fake_cupy):
    fake_cupy.cuda.nvtx_enabled = False
    with pytest.raises(RuntimeError, match='NVTX'):
        function_hooks.CUDAProfileHook()


def test_memory_hook_records_each_call_and_nested_ones_once(fake_cupy):
    hook = function_hooks.CupyMemoryProfileHook()
    assert hook.name == 'CupyMemoryProfileHook'
    outer, inner = types.SimpleNamespace(_impl_name='Exp'), types.SimpleNamespace(
        _impl_name='Identity')
    hook.backward_preprocess(outer, (), ())
    hook.forward_preprocess(inner, ())
    hook._memory_hook.malloc_preprocess(mem_size=512)
    hook._memory_hook.alloc_preprocess(mem_size=1024)
    hook.forward_postprocess(inner, ())
    hook._memory_hook.malloc_preprocess(mem_size=512)
    hook.backward_postprocess(outer, (), ())
    assert hook.call_history == [('Identity', 512, 1024, 1), ('Exp', 1024, 1024, 0)]
    assert hook.total_used_bytes() == 1024 and hook.total_acquired_bytes() == 1024
    assert hook.summary()['Exp'] == {'used_bytes': 1024, 'acquired_bytes': 1024,
                                     'occurrence': 1}


def test_memory_hook_sees_real_functions_and_prints_a_report(fake_cupy):
    hook = function_hooks.CupyMemoryProfileHook()
    x = polychain.Variable(numpy.ones(3, 'f'))
    with hook:
        F.exp(x)
        F.relu(x)
        F.relu(x)
    assert [entry[0] for entry in hook.call_history] == ['Exp', 'ReLU', 'ReLU']
    for unit in ('B', 'KB', 'ZB', 'auto', 'auto_foreach'):
        out = io.StringIO()
        hook.print_report(unit=unit, file=out)
        assert re.fullmatch(r'FunctionName  UsedBytes  AcquiredBytes  Occurrence\n'
                            r' +Exp +[0-9.]+.?B +[0-9.]+.?B +1\n'
                            r' +ReLU +[0-9.]+.?B +[0-9.]+.?B +2\n', out.getvalue())
    with pytest.raises(ValueError, match='unit'):
        hook.print_report(unit='bytes')


@pytest.mark.parametrize('size, expected', [
    (-1, (1, 'B')), (0, (1, 'B')), (1023, (1, 'B')), (1024, (1024, 'KB')),
    (1024 ** 2 - 1, (1024, 'KB')), (1024 ** 3, (1024 ** 3, 'GB')),
    (1024 ** 8, (1024 ** 7, 'ZB')),
])
def test_memory_hook_units(fake_cupy, size, expected):
    assert function_hooks.CupyMemoryProfileHook()._choose_unit(size) == expected
