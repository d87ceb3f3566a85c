"""Running the model catalogue: a few training steps per case, dtype and device.

Cells are :class:`~polychain_conformance.runner.CellResult`, so reports show
them in the same matrix as the function cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy

import polychain
import polychain.optimizers
from polychain.backend import Device, to_host
from polychain.link import Link
from polychain.optimizer import Optimizer
from polychain_conformance.case_suite import (
    CaseSuite,
    HostArrays,
    case_seed,
    check_identical,
    check_link_placement,
    compare_named,
    host_parameters,
    not_run,
)
from polychain_conformance.checks import FAIL, PASS, CheckResult, compare, describe_exception
from polychain_conformance.model_cases import MODEL_CASES, ModelCase
from polychain_conformance.xfails import EXPECTED_FAILURES, ExpectedFailure

_COMPARED = ('initial_parameters', 'loss_curve', 'final_parameters')


@dataclass
class TrainingRun:
    """A model trained on a device.

    Attributes:
        model: The model, on the device.
        optimizer: Its optimizer.
        initial: Host copies of the parameters before the first update.
        losses: The loss of every step, on the host.
        final: Host copies of the parameters after the last update.
    """

    model: Link
    optimizer: Optimizer
    initial: HostArrays
    losses: numpy.ndarray
    final: HostArrays


def build_model(case: ModelCase, dtype: str, seed: int, device: Device) -> tuple[Link, Optimizer]:
    """The case's model built from the seed on ``device``, and its optimizer set up on it."""
    numpy.random.seed(case_seed(seed, case.model, dtype))
    with polychain.using_config('dtype', numpy.dtype(dtype)):
        model = case.build(numpy.dtype(dtype))
    model.to_device(device)
    optimizer = getattr(polychain.optimizers, case.optimizer)(**case.kwargs)
    optimizer.setup(model)
    return model, optimizer


def batches(case: ModelCase, dtype: str, device: Device) -> list[tuple[Any, Any]]:
    """The ``(x, t)`` of each step on ``device``: the dataset in order, cycling."""
    x, t = case.dataset.arrays(dtype)
    starts = [(step * case.batch_size) % len(x) for step in range(case.steps)]
    return [(device.send(x[s:s + case.batch_size]), device.send(t[s:s + case.batch_size]))
            for s in starts]


def train(case: ModelCase, dtype: str, seed: int, device: Device) -> TrainingRun:
    """Trains the case's model on ``device`` with ``optimizer.update(model, x, t)``."""
    model, optimizer = build_model(case, dtype, seed, device)
    initial: HostArrays = {}
    losses = []

    def loss_of(x: Any, t: Any) -> Any:
        loss = model(x, t)
        if not initial:  # lazily sized layers exist only after the first forward
            initial.update(host_parameters(model))
        losses.append(loss.array)
        return loss

    for x, t in batches(case, dtype, device):
        optimizer.update(loss_of, x, t)
    return TrainingRun(model, optimizer, initial,
                       numpy.array([to_host(loss) for loss in losses]), host_parameters(model))


def check_training(case: ModelCase, run: TrainingRun, dtype: str,
                   device: Device) -> CheckResult:
    """Losses are finite, the mean loss of the last epoch is below that of the first one,
    and the parameters keep their dtype and device."""
    placement = check_link_placement('training', run.model, dtype, device)
    if placement.status == FAIL:
        return placement
    if not numpy.isfinite(run.losses).all():
        return CheckResult('training', FAIL, f'non-finite losses {run.losses.tolist()}')
    epoch = max(1, case.dataset.n_samples // case.batch_size)
    if len(run.losses) >= 2 * epoch and \
            not run.losses[-epoch:].mean() < run.losses[:epoch].mean():
        return CheckResult('training', FAIL, f'the loss did not fall: {run.losses.tolist()}')
    return CheckResult('training', PASS)


def check_against_reference(case: ModelCase, run: TrainingRun, reference: TrainingRun,
                            dtype: str, reference_device: str) -> list[CheckResult]:
    """Identical initial parameters; loss curve and final parameters within tolerance."""
    atol, rtol = case.tolerance(dtype)
    return [check_identical('initial_parameters', run.initial, reference.initial,
                            f'initial parameters and those on {reference_device}'),
            compare('loss_curve', [run.losses], [reference.losses], atol, rtol,
                    f'losses of {case.steps} steps and those on {reference_device}'),
            compare_named('final_parameters', run.final, reference.final, atol, rtol,
                          f'parameters after {case.steps} steps and those on '
                          f'{reference_device}')]


class ModelSuite(CaseSuite):
    """Trains model cases on devices and compares them with a reference device.

    Args:
        cases: The catalogue (default :data:`~polychain_conformance.model_cases.MODEL_CASES`).
        expected_failures: Known failures (default: the suite's one list).
        seed: The base seed of the initial parameters.
        reference_device: The device every other device is compared against.
    """

    def __init__(self, cases: Sequence[ModelCase] = MODEL_CASES,
                 expected_failures: Sequence[ExpectedFailure] = EXPECTED_FAILURES,
                 seed: int = 0, reference_device: str = '@numpy') -> None:
        super().__init__(cases, expected_failures, seed, reference_device)

    def checks(self, case: ModelCase, dtype: str, device: Device) -> list[CheckResult]:
        try:
            run = train(case, dtype, self.seed, device)
        except Exception as error:  # a crash while training is a failure
            return [CheckResult('training', FAIL, describe_exception(error))] + not_run(
                _COMPARED, 'training raised')
        reference, why = self.reference_outcome(
            case, dtype, device, lambda on: train(case, dtype, self.seed, on))
        checks = [check_training(case, run, dtype, device)]
        if reference is None:
            return checks + not_run(_COMPARED, why)
        return checks + check_against_reference(case, run, reference, dtype,
                                                self.reference_device)
