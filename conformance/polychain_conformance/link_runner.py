"""Running the link catalogue: build from a seed, call, backpropagate, compare across devices.

Cells are :class:`~polychain_conformance.runner.CellResult`, so reports show
them in the same matrix as the function cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy

import polychain
from polychain import Variable
from polychain.backend import Device, to_host
from polychain.gradient_check import check_backward
from polychain.link import Link
from polychain_conformance.case_suite import (
    CaseSuite,
    HostArrays,
    case_seed,
    check_identical,
    check_link_placement,
    compare_named,
    host_gradients,
    host_parameters,
    not_run,
)
from polychain_conformance.checks import FAIL, PASS, CheckResult, compare, describe_exception
from polychain_conformance.link_cases import LINK_CASES, LinkCase
from polychain_conformance.spec import Input
from polychain_conformance.xfails import EXPECTED_FAILURES, ExpectedFailure

_COMPARED = ('initial_parameters', 'cross_device')


@dataclass
class LinkRun:
    """One call and backward of a link on a device.

    Attributes:
        link: The link, on the device.
        arrays: The call's arguments as device arrays.
        grad_outputs: The output gradients as device arrays.
        outputs: What the call returned, as a tuple.
        initial: Host copies of the parameters before the first call.
        parameters: Host copies of every parameter after the first call.
        parameter_grads: Host copies of the parameters' gradients.
        input_grads: Host copies of the gradients of the floating inputs.
    """

    link: Link
    arrays: list[Any]
    grad_outputs: list[Any]
    outputs: tuple[Any, ...]
    initial: HostArrays
    parameters: HostArrays
    parameter_grads: HostArrays
    input_grads: list[numpy.ndarray]


def draw_inputs(case: LinkCase, dtype: str, seed: int) -> list[numpy.ndarray]:
    """The call's arguments on the host, from the case, dtype and seed."""
    rng = numpy.random.default_rng(case_seed(seed, case.name, dtype))
    return [spec.draw(rng).astype(dtype) if isinstance(spec, Input) else spec.host()
            for spec in case.inputs]


def _is_variable_input(spec: Any) -> bool:
    return isinstance(spec, Input)


def run_link(case: LinkCase, dtype: str, seed: int, device: Device) -> LinkRun:
    """Builds the link from the seed on ``device``, calls it and backpropagates."""
    numpy.random.seed(case_seed(seed, case.name, dtype))
    with polychain.using_config('dtype', numpy.dtype(dtype)):
        link = case.build(numpy.dtype(dtype))
    link.to_device(device)
    initial = host_parameters(link)
    arrays = [device.send(a) for a in draw_inputs(case, dtype, seed)]
    variables = [Variable(a, requires_grad=spec.differentiable) if _is_variable_input(spec)
                 else a for a, spec in zip(arrays, case.inputs)]
    outputs = _as_tuple(link(*variables, **case.kwargs))
    rng = numpy.random.default_rng(case_seed(seed, case.name + '/grad_outputs', dtype))
    grad_outputs = [device.send(rng.normal(size=tuple(y.shape)).astype(dtype)) for y in outputs]
    inputs = [v for v, spec in zip(variables, case.inputs)
              if _is_variable_input(spec) and spec.differentiable]
    link.cleargrads()
    params = list(link.params())
    grads = polychain.grad(list(outputs), inputs + params,
                           [Variable(g, requires_grad=False) for g in grad_outputs])
    for param, g in zip(params, grads[len(inputs):]):
        param.grad = None if g is None else g.array
    return LinkRun(link, arrays, grad_outputs, outputs, initial, host_parameters(link),
                   host_gradients(link), [numpy.zeros(tuple(x.shape), dtype) if g is None
                                          else numpy.array(to_host(g.array))
                                          for g, x in zip(grads, inputs)])


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


def check_outputs(case: LinkCase, run: LinkRun, dtype: str, device: Device) -> CheckResult:
    """Outputs are Variables of ``dtype`` on ``device``; so are the parameters and gradients;
    only a lazy link creates parameters on its first call."""
    problems = []
    for i, y in enumerate(run.outputs):
        if not isinstance(y, Variable):
            problems.append(f'output {i} is a {type(y).__name__}, not a Variable')
        elif to_host(y.array).dtype != numpy.dtype(dtype) or y.device != device:
            problems.append(f'output {i} is {to_host(y.array).dtype} on {y.device}, expected '
                            f'{dtype} on {device}')
    placement = check_link_placement('outputs', run.link, dtype, device)
    if placement.status == FAIL:
        problems.append(placement.message)
    created = [path for path in run.parameters if path not in run.initial]
    if created and not case.lazy:
        problems.append(f'parameters {created} were created by the first call')
    if case.lazy and not created:
        problems.append('the lazy link had created all its parameters before its first call')
    if problems:
        return CheckResult('outputs', FAIL, '; '.join(problems))
    return CheckResult('outputs', PASS)


def check_link_backward(case: LinkCase, run: LinkRun, dtype: str, seed: int) -> CheckResult:
    """``gradient_check.check_backward`` over the floating inputs and the parameters."""
    tolerance = case.tolerance(dtype)
    no_grads = [not (_is_variable_input(spec) and spec.differentiable) for spec in case.inputs]

    def call(*variables: Variable) -> tuple[Any, ...]:
        args = [v if _is_variable_input(spec) else v.array
                for v, spec in zip(variables, case.inputs)]
        return _as_tuple(run.link(*args, **case.kwargs))

    try:
        check_backward(call, tuple(run.arrays), tuple(run.grad_outputs),
                       params=list(run.link.params()), eps=tolerance.eps,
                       atol=tolerance.backward_atol, rtol=tolerance.backward_rtol,
                       no_grads=no_grads, seed=seed)
    except AssertionError as error:
        return CheckResult('backward', FAIL, str(error).splitlines()[0],
                           atol=tolerance.backward_atol, rtol=tolerance.backward_rtol)
    except Exception as error:  # a crash of the link is a failure
        return CheckResult('backward', FAIL, describe_exception(error))
    return CheckResult('backward', PASS, atol=tolerance.backward_atol,
                       rtol=tolerance.backward_rtol)


def check_against_reference(case: LinkCase, run: LinkRun, reference: LinkRun, dtype: str,
                            reference_device: str) -> list[CheckResult]:
    """Bit-identical initial parameters; outputs and gradients within the case's tolerances."""
    tolerance = case.tolerance(dtype)
    initial = check_identical('initial_parameters', run.parameters, reference.parameters,
                              f'initial parameters and those on {reference_device}')
    outputs = compare('cross_device', [to_host(y.array) for y in run.outputs],
                      [to_host(y.array) for y in reference.outputs], tolerance.forward_atol,
                      tolerance.forward_rtol, f'outputs and those on {reference_device}')
    if outputs.status == FAIL:
        return [initial, outputs]
    grads = compare_named('cross_device', {**run.parameter_grads, **_numbered(run.input_grads)},
                          {**reference.parameter_grads, **_numbered(reference.input_grads)},
                          tolerance.backward_atol, tolerance.backward_rtol,
                          f'parameter and input gradients and those on {reference_device}')
    if grads.status == FAIL:
        return [initial, grads]
    return [initial, CheckResult('cross_device', PASS, max_abs_error=max(
        outputs.max_abs_error, grads.max_abs_error), max_rel_error=max(
        outputs.max_rel_error, grads.max_rel_error))]


def _numbered(arrays: Sequence[numpy.ndarray]) -> HostArrays:
    return {f'input {i}': a for i, a in enumerate(arrays)}


class LinkSuite(CaseSuite):
    """Runs link cases on devices and compares them with a reference device.

    Args:
        cases: The catalogue (default :data:`~polychain_conformance.link_cases.LINK_CASES`).
        expected_failures: Known failures (default: the suite's one list).
        seed: The base seed of parameters, inputs and output gradients.
        reference_device: The device every other device is compared against.
    """

    def __init__(self, cases: Sequence[LinkCase] = LINK_CASES,
                 expected_failures: Sequence[ExpectedFailure] = EXPECTED_FAILURES,
                 seed: int = 0, reference_device: str = '@numpy') -> None:
        super().__init__(cases, expected_failures, seed, reference_device)

    def checks(self, case: LinkCase, dtype: str, device: Device) -> list[CheckResult]:
        try:
            run = run_link(case, dtype, self.seed, device)
        except Exception as error:  # a crash of the link is a failure
            return [CheckResult('forward', FAIL, describe_exception(error))] + not_run(
                ('outputs', 'backward') + _COMPARED, 'building or calling the link raised')
        checks = [CheckResult('forward', PASS), check_outputs(case, run, dtype, device),
                  check_link_backward(case, run, dtype, self.seed)]
        reference, why = self.reference_outcome(
            case, dtype, device, lambda on: run_link(case, dtype, self.seed, on))
        if reference is None:
            return checks + not_run(_COMPARED, why)
        return checks + check_against_reference(case, run, reference, dtype,
                                                self.reference_device)
