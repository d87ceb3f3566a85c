"""Running the serialization catalogue: save on one device, load on every device of the run.

A cell is a case, a dtype and the device the model is trained and saved on;
its checks load the files on each target device (the devices of the run and
the reference device). Cells are :class:`~polychain_conformance.runner.CellResult`,
so reports show them in the same matrix as the function cases.
"""

from __future__ import annotations

import importlib.util
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy

import polychain
from polychain.backend import Device, get_device, get_device_from_array, to_host
from polychain.link import Link
from polychain.optimizer import Optimizer
from polychain.serializers import DictionarySerializer
from polychain_conformance.case_suite import (
    CaseSuite,
    HostArrays,
    check_identical,
    check_link_placement,
    compare_named,
    host_parameters,
)
from polychain_conformance.checks import FAIL, NOT_RUN, PASS, CheckResult, describe_exception
from polychain_conformance.model_runner import batches, build_model, train
from polychain_conformance.runner import CellResult
from polychain_conformance.serialization_cases import SERIALIZATION_CASES, SerializationCase
from polychain_conformance.spec import DTYPES
from polychain_conformance.xfails import EXPECTED_FAILURES, ExpectedFailure


@dataclass
class SavedModel:
    """A trained model saved to files, with what a faithful load must reproduce.

    Attributes:
        model_file: The saved model.
        optimizer_file: The saved optimizer.
        state: Everything saved (model and optimizer), as host arrays by key.
        predictions: The model's predictions on the evaluation inputs, on the host.
        continued: Its parameters after one more update, on the host.
    """

    model_file: Path
    optimizer_file: Path
    state: HostArrays
    predictions: numpy.ndarray
    continued: HostArrays


def saved_state(model: Link, optimizer: Optimizer) -> HostArrays:
    """What serializing the model and its optimizer writes, keyed by path."""
    serializer = DictionarySerializer()
    model.serialize(serializer['model'])
    optimizer.serialize(serializer['optimizer'])
    return {key: numpy.asarray(value) for key, value in serializer.target.items()}


def predict(model: Link, x: Any) -> numpy.ndarray:
    """The predictor's outputs on ``x``, on the host, without building a graph."""
    with polychain.no_backprop_mode():
        return numpy.array(to_host(model.predictor(x).array))


def _next_step(case: SerializationCase, dtype: str, device: Device) -> tuple[Any, Any]:
    """The batch of the update after the saved ones (its first batch again when it cycles)."""
    return batches(replace(case.training, steps=case.training.steps + 1), dtype, device)[-1]


def save_trained(case: SerializationCase, dtype: str, seed: int, device: Device,
                 directory: Path) -> SavedModel:
    """Trains the case's model on ``device``, saves it and its optimizer under ``directory``,
    then takes one more step (the continuation a loaded copy must reproduce)."""
    run = train(case.training, dtype, seed, device)
    suffix = case.format.suffix
    model_file, optimizer_file = directory / f'model{suffix}', directory / f'optimizer{suffix}'
    case.format.save(model_file, run.model)
    case.format.save(optimizer_file, run.optimizer)
    state = saved_state(run.model, run.optimizer)
    predictions = predict(run.model, _evaluation_inputs(case, dtype, device))
    run.optimizer.update(run.model, *_next_step(case, dtype, device))
    return SavedModel(model_file, optimizer_file, state, predictions,
                      host_parameters(run.model))


def _evaluation_inputs(case: SerializationCase, dtype: str, device: Device) -> Any:
    return device.send(case.training.dataset.arrays(dtype)[0][:8])


def check_load(case: SerializationCase, saved: SavedModel, dtype: str, seed: int,
               target: Device) -> CheckResult:
    """Loads the files into a fresh model and optimizer on ``target`` and checks them.

    Everything saved comes back bit-identical, the predictions agree, the
    arrays live on ``target`` and one more update gives the same parameters.
    """
    name = f'load on {target}'
    atol, rtol = case.training.tolerance(dtype)
    try:
        # Another seed: the fresh model's own values must all be replaced by the loaded ones.
        model, optimizer = build_model(case.training, dtype, seed + 1, target)
        case.format.load(saved.model_file, model)
        case.format.load(saved.optimizer_file, optimizer)
        state = saved_state(model, optimizer)
        predictions = predict(model, _evaluation_inputs(case, dtype, target))
        optimizer.update(model, *_next_step(case, dtype, target))
    except Exception as error:  # a crash while loading is a failure
        return CheckResult(name, FAIL, describe_exception(error))
    for check in (
            check_identical(name, state, saved.state, f'state loaded on {target} and the '
                            f'state saved'),
            compare_named(name, {'predictions': predictions},
                          {'predictions': saved.predictions}, atol, rtol,
                          f'predictions on {target} and those of the saved model'),
            check_link_placement(name, model, dtype, target),
            _check_state_placement(name, optimizer, target),
            compare_named(name, host_parameters(model), saved.continued, atol, rtol,
                          f'parameters after one more update on {target} and on the saving '
                          f'device')):
        if check.status == FAIL:
            return check
    return CheckResult(name, PASS)


def _check_state_placement(name: str, optimizer: Optimizer, device: Device) -> CheckResult:
    misplaced = [f'{path}/{key} on {get_device_from_array(value)}'
                 for path, param in optimizer.target.namedparams()
                 for key, value in (param.update_rule.state or {}).items()
                 if get_device_from_array(value) != device]
    if misplaced:
        return CheckResult(name, FAIL, f'optimizer state not on {device}: {", ".join(misplaced)}')
    return CheckResult(name, PASS)


class SerializationSuite(CaseSuite):
    """Saves trained models on devices and loads them on every target device.

    Args:
        cases: The catalogue (default
            :data:`~polychain_conformance.serialization_cases.SERIALIZATION_CASES`).
        expected_failures: Known failures (default: the suite's one list).
        seed: The base seed of the initial parameters.
        reference_device: A device every saved model is loaded on too.
        targets: The devices every saved model is loaded on; ``None`` for the
            devices of :meth:`run` (or the cell's own device in :meth:`run_cell`).
    """

    def __init__(self, cases: Sequence[SerializationCase] = SERIALIZATION_CASES,
                 expected_failures: Sequence[ExpectedFailure] = EXPECTED_FAILURES,
                 seed: int = 0, reference_device: str = '@numpy',
                 targets: Sequence[Any] | None = None) -> None:
        super().__init__(cases, expected_failures, seed, reference_device)
        self.targets = None if targets is None else list(targets)
        self._run_devices: list[Device] = []

    def run(self, devices: Sequence[Any], dtypes: Sequence[str] = DTYPES,
            cases: Iterable[str] | None = None) -> list[CellResult]:
        self._run_devices = [get_device(d) for d in devices]
        try:
            return super().run(self._run_devices, dtypes, cases)
        finally:
            self._run_devices = []

    def skip_reason(self, case: SerializationCase, dtype: str, device: Device) -> str:
        requires = case.format.requires
        if requires and importlib.util.find_spec(requires) is None:
            return f'{case.format.name} needs {requires}, which is not installed'
        return super().skip_reason(case, dtype, device)

    def _targets(self, device: Device) -> list[Any]:
        chosen = self.targets if self.targets is not None else self._run_devices or [device]
        return list(dict.fromkeys([self.reference_device, device, *chosen]))

    def checks(self, case: SerializationCase, dtype: str, device: Device) -> list[CheckResult]:
        with tempfile.TemporaryDirectory(prefix='polychain_conformance_') as directory:
            try:
                saved = save_trained(case, dtype, self.seed, device, Path(directory))
            except Exception as error:  # a crash while training or saving is a failure
                return [CheckResult('save', FAIL, describe_exception(error))]
            checks = [CheckResult('save', PASS)]
            for spec in self._targets(device):
                try:
                    target = get_device(spec)
                except Exception as error:  # an unusable target only skips its check
                    checks.append(CheckResult(f'load on {spec}', NOT_RUN, f'{error}'))
                    continue
                if any(c.name == f'load on {target}' for c in checks):
                    continue
                reason = self.skip_reason(case, dtype, target) or _taken_over(target)
                if reason:
                    checks.append(CheckResult(f'load on {target}', NOT_RUN, reason))
                    continue
                checks.append(check_load(case, saved, dtype, self.seed, target))
        return checks


def _taken_over(device: Device) -> str:
    """Why ``device`` cannot hold arrays of its own in this process ('' when it can): another
    backend lists their type with a higher ``array_type_priority``."""
    owner = get_device_from_array(device.send(numpy.zeros(1, numpy.float32)))
    return '' if owner == device else (f'arrays sent to {device} belong to {owner}, whose '
                                       f'backend owns their type (array_type_priority)')
