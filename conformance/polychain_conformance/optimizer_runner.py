"""Running the optimizer catalogue: three update steps per case, dtype and device.

Cells are :class:`~polychain_conformance.cells.CellResult`, so reports show
them in the same matrix as the function cases.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy

import polychain.optimizer_hooks
import polychain.optimizers
from polychain import Link, Parameter
from polychain.backend import Device, get_device, get_device_from_array, to_host
from polychain_conformance.case_suite import CaseSuite
from polychain_conformance.checks import (
    FAIL,
    NOT_RUN,
    PASS,
    CheckResult,
    compare,
    describe_exception,
)
from polychain_conformance.optimizer_cases import OPTIMIZER_CASES, OptimizerCase
from polychain_conformance.xfails import EXPECTED_FAILURES, ExpectedFailure

History = list[list[numpy.ndarray]]


def draw_steps(case: OptimizerCase, dtype: str,
               seed: int) -> tuple[list[numpy.ndarray], list[list[numpy.ndarray]]]:
    """The initial parameters and the gradients of each step, from the case, dtype and seed."""
    rng = numpy.random.default_rng([seed, zlib.crc32(f'{case.name}/{dtype}'.encode())])
    params = [rng.uniform(-1.0, 1.0, shape).astype(dtype) for shape in case.shapes]
    grads = [[rng.normal(0.0, 1.0, shape).astype(dtype) for shape in case.shapes]
             for _ in range(case.steps)]
    return params, grads


def run_steps(case: OptimizerCase, params: Sequence[numpy.ndarray],
              grads: Sequence[Sequence[numpy.ndarray]], device: Device) -> tuple[Link, History]:
    """Runs the steps on ``device``; the link and host copies of the parameters after each step."""
    link = Link()
    with link.init_scope():
        for i, values in enumerate(params):
            setattr(link, f'p{i}', Parameter(values.copy()))
    link.to_device(device)
    optimizer = getattr(polychain.optimizers, case.optimizer)(**case.kwargs)
    optimizer.setup(link)
    for hook in case.hooks:
        optimizer.add_hook(getattr(polychain.optimizer_hooks, hook.name)(**hook.kwargs))
    history = []
    for step in grads:
        for param, grad in zip(link.params(), step):
            param.grad = device.send(grad.copy())
        optimizer.update()
        # Copies: an optimizer may update the arrays in place.
        history.append([numpy.array(to_host(p.array)) for p in link.params()])
    return link, history


def check_parameters(link: Link, history: History, dtype: str, device: Device) -> CheckResult:
    """The parameters keep their shape and dtype, stay on ``device`` and are finite."""
    problems = []
    for (path, param), initial in zip(link.namedparams(), history[0]):
        host = numpy.asarray(to_host(param.array))
        if host.dtype != numpy.dtype(dtype) or host.shape != initial.shape:
            problems.append(f'{path} became {host.dtype} {host.shape}, expected {dtype} '
                            f'{initial.shape}')
        if get_device_from_array(param.array) != device:
            problems.append(f'{path} moved to {get_device_from_array(param.array)}')
    if not all(numpy.isfinite(a).all() for step in history for a in step):
        problems.append('non-finite parameter values')
    if problems:
        return CheckResult('update', FAIL, '; '.join(problems))
    return CheckResult('update', PASS)


class OptimizerSuite(CaseSuite):
    """Runs optimizer cases on devices and compares every step with a reference device.

    Args:
        cases: The catalogue (default :data:`OPTIMIZER_CASES`).
        expected_failures: Known failures (default: the suite's one list).
        seed: The base seed of parameters and gradients.
        reference_device: The device every other device is compared against.
    """

    def __init__(self, cases: Sequence[OptimizerCase] = OPTIMIZER_CASES,
                 expected_failures: Sequence[ExpectedFailure] = EXPECTED_FAILURES,
                 seed: int = 0, reference_device: str = '@numpy') -> None:
        super().__init__(cases, expected_failures, seed, reference_device)

    def checks(self, case: OptimizerCase, dtype: str, device: Device) -> list[CheckResult]:
        """Runs the steps of ``case`` on ``device`` and compares them with the reference."""
        params, grads = draw_steps(case, dtype, self.seed)
        try:
            link, history = run_steps(case, params, grads, device)
        except Exception as error:  # a crash of the optimizer is a failure
            return [CheckResult('update', FAIL, describe_exception(error)),
                    CheckResult('cross_device', NOT_RUN, 'the update raised')]
        return [check_parameters(link, history, dtype, device),
                self._cross_device(case, dtype, device, history)]

    def _cross_device(self, case: OptimizerCase, dtype: str, device: Device,
                      history: History) -> CheckResult:
        reference, why = self.reference_outcome(
            case, dtype, device,
            lambda on: run_steps(case, *draw_steps(case, dtype, self.seed), on)[1])
        if reference is None:
            return CheckResult('cross_device', NOT_RUN, why)
        atol, rtol = case.tolerance(dtype)
        reference_device = get_device(self.reference_device)
        return compare('cross_device', [a for step in history for a in step],
                       [a for step in reference for a in step], atol, rtol,
                       f'parameters after {case.steps} steps and those on {reference_device}')
