"""A Chainer v7 user's function test, unchanged but for ``import polychain as chainer``."""

from __future__ import annotations

import numpy
import pytest

import polychain as chainer

from .devices import class_suffix, default_device_params

# -- the user's code -------------------------------------------------------------------------


class Cube(chainer.FunctionNode):
    """y = x ** 3, with a backward written with polychain functions."""

    def forward(self, inputs):
        x, = inputs
        self.retain_inputs((0,))
        return x * x * x,

    def backward(self, target_input_indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        return 3 * x * x * gy,


def cube(x):
    return Cube().apply((x,))[0]


@chainer.testing.parameterize(*chainer.testing.product({
    'shape': [(3, 2), ()],
    'dtype': [numpy.float32, numpy.float64],
}))
@chainer.testing.inject_backend_tests(
    None,
    [{}, {'use_cuda': True}] + chainer.testing.available_backend_configs())
class TestCube(chainer.testing.FunctionTestCase):

    def setUp(self):
        if self.dtype == numpy.float32:
            self.check_backward_options.update({'atol': 1e-3, 'rtol': 1e-3})
            self.check_double_backward_options.update({'atol': 1e-3, 'rtol': 1e-3})

    def generate_inputs(self):
        x = numpy.random.uniform(-1, 1, self.shape).astype(self.dtype)
        return x,

    def forward(self, inputs, device):
        x, = inputs
        return cube(x),

    def forward_expected(self, inputs):
        x, = inputs
        return (x ** 3).astype(self.dtype),

# -- checks of what the decorators generated -------------------------------------------------


def _generated(prefix):
    return {name for name in globals() if name.startswith(prefix)}


def test_one_class_per_backend_and_parameter_set():
    specs = ['@numpy', '@cupy:0'] + [
        config['device'] for config in chainer.testing.available_backend_configs()]
    suffixes = list(dict.fromkeys(class_suffix(spec) for spec in specs))  # {} is @numpy
    for suffix in suffixes:
        assert len(_generated(f'TestCube_{suffix}_param_')) == 4, suffix
    assert not isinstance(TestCube, type)  # the bundle, which runners do not collect
    assert len(TestCube) == 4 * len(suffixes) == len(_generated('TestCube_'))


@pytest.mark.parametrize('spec', default_device_params())
def test_user_test_passes_on_backend(spec, run_tests):
    names = _generated(f'TestCube_{class_suffix(spec)}_param_')
    assert len(names) == 4
    for name in names:
        result = run_tests(globals()[name])
        assert result.testsRun == 3
        assert not result.failures and not result.errors and not result.skipped, name


def test_cupy_configuration_skips_with_reason(run_tests):
    if chainer.backends.cuda.available:
        pytest.skip('CuPy is usable here, so the @cupy:0 tests run')
    for name in _generated('TestCube_cupy_0_param_'):
        result = run_tests(globals()[name])
        assert len(result.skipped) == 3
        for _, reason in result.skipped:
            assert '@cupy:0 is not available here' in reason and 'cupy' in reason
