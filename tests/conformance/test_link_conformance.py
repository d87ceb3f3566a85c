"""Every link has a conformance case, and every case agrees across devices."""

from __future__ import annotations

import inspect

import numpy
import pytest

import polychain.backend
import polychain.links
from polychain.functions.connection.linear import LinearFunction
from polychain.link import Link
from polychain_conformance import (
    CASES,
    LINK_CASES,
    MODEL_CASES,
    OPTIMIZER_CASES,
    SERIALIZATION_CASES,
    LinkSuite,
)

SUITE = LinkSuite(reference_device='@numpy')

#: Links without a conformance case, each with the reason and where it is tested instead.
NOT_CATALOGUED = {
    **dict.fromkeys(('VGG16Layers', 'VGG19Layers', 'ResNet50Layers', 'ResNet101Layers',
                     'ResNet152Layers', 'GoogLeNet'),
                    'ImageNet-sized models (up to 138M parameters, fixed 224 x 224 inputs): too '
                    'large for a gradient check on every backend; tests/links/test_vision.py'),
    'TheanoFunction': 'cannot be built (polychain has no Theano bridge); '
                      'tests/links/test_parameter_and_theano.py',
}


def test_every_link_has_a_case():
    links = {name for name in polychain.links.__all__
             if inspect.isclass(getattr(polychain.links, name))
             and issubclass(getattr(polychain.links, name), Link)}
    missing = sorted(links - {case.link for case in LINK_CASES} - set(NOT_CATALOGUED))
    assert not missing, (f'polychain.links exports {missing} without a conformance case: add '
                         f'one to conformance/polychain_conformance/link_cases.py')


def test_case_names_are_unique_across_every_suite():
    # The command line finds a case's suite by its name.
    names = [case.name for cases in (CASES, OPTIMIZER_CASES, LINK_CASES, MODEL_CASES,
                                     SERIALIZATION_CASES) for case in cases]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_lazily_initialised_linear_is_covered():
    assert any(case.link == 'Linear' and case.lazy for case in LINK_CASES)


@pytest.mark.parametrize(('case', 'dtype'), [
    pytest.param(case, dtype, id=f'{case.name}-{dtype}')
    for case in LINK_CASES for dtype in case.dtypes])
def test_case(case, dtype, device, conformance_outcome):
    cell = SUITE.run_cell(case, dtype, device)
    conformance_outcome(cell)


def _second_device():
    try:
        return polychain.get_device('@strict')
    except (ValueError, polychain.backend.BackendUnavailable) as error:
        pytest.skip(f'needs a second backend: {error}')


def test_a_wrong_backward_fails_the_gradient_check_of_every_linear_case(monkeypatch):
    original = LinearFunction.backward

    def scaled(self, indexes, grad_outputs):
        return tuple(g * 1.5 for g in original(self, indexes, grad_outputs))

    monkeypatch.setattr(LinearFunction, 'backward', scaled)
    linear_cases = [c.name for c in LINK_CASES
                    if c.link in ('Linear', 'Classifier') and 'float64' in c.dtypes]
    cells = LinkSuite().run(['@numpy'], ['float64'], linear_cases)
    assert {c.case for c in cells if c.status == 'fail'} == set(linear_cases)
    assert {check.name for c in cells for check in c.failed_checks} == {'backward'}


def test_a_device_that_computes_differently_fails_cross_device(monkeypatch):
    strict = _second_device()
    original = LinearFunction.forward

    def shifted_off_numpy(self, inputs):
        y, = original(self, inputs)
        if isinstance(y, numpy.ndarray):
            return y,
        # A different shift per class, so that the softmax of the classifier sees it too.
        xp = polychain.backend.get_array_module(y)
        return y + 1e-3 * xp.arange(y.shape[-1], dtype=y.dtype),

    monkeypatch.setattr(LinearFunction, 'forward', shifted_off_numpy)
    cells = LinkSuite().run(['@numpy', strict], ['float64'], ['Linear', 'Classifier'])
    failing = {(c.case, c.device): [check.name for check in c.failed_checks] for c in cells
               if c.status == 'fail'}
    assert failing == {('Linear', str(strict)): ['cross_device'],
                       ('Classifier', str(strict)): ['cross_device']}


def test_parameters_that_differ_between_devices_fail_initial_parameters(monkeypatch):
    strict = _second_device()
    original = polychain.backend.Device.send

    def noisy_send(self, array):
        sent = original(self, array)
        if self.backend.name == 'strict' and getattr(array, 'ndim', 0) == 2:
            return sent * (1 + 1e-12)
        return sent

    monkeypatch.setattr(polychain.backend.Device, 'send', noisy_send)
    cell = LinkSuite().run([strict], ['float64'], ['Linear_nobias'])[0]
    assert cell.status == 'fail'
    assert 'initial_parameters' in {check.name for check in cell.failed_checks}
