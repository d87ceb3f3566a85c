"""Evaluators over ranks: ``create_multi_node_evaluator`` and ``GenericMultiNodeEvaluator``."""

from __future__ import annotations

import copy
import types
from collections.abc import Callable, Iterator
from typing import Any

from polychain import backend
from polychain.configuration import no_backprop_mode
from polychain.dataset import call_converter, concat_examples
from polychain.training import extension
from polychain.variable import Variable


def _to_host(value: Any) -> Any:
    """``value`` with Variables and arrays of any backend (also inside tuples, lists and
    dicts) as host arrays, so that it can be pickled to another rank."""
    if isinstance(value, Variable):
        value = value.array
    if isinstance(value, (tuple, list)):
        return type(value)(_to_host(v) for v in value)
    if isinstance(value, dict):
        return {k: _to_host(v) for k, v in value.items()}
    if hasattr(value, 'shape') and hasattr(value, 'dtype'):
        return backend.to_host(value)
    return value


def create_multi_node_evaluator(actual_evaluator: Any, communicator: Any) -> Any:
    """Makes ``actual_evaluator`` (an ``Evaluator``) report means over all ranks.

    Each rank evaluates its own part of the data; the means it reports are
    averaged over the ranks (so parts should be of equal length, as
    ``scatter_dataset`` makes them). Returns the same evaluator object.
    """
    original_evaluate = actual_evaluator.evaluate

    def evaluate(self: Any) -> dict[str, Any]:
        local_means = original_evaluate()
        return {name: communicator.allreduce_obj(_to_host(value)) / communicator.size
                for name, value in sorted(local_means.items())}

    actual_evaluator._mn_original_evaluate = original_evaluate
    actual_evaluator._mn_communicator = communicator
    actual_evaluator.evaluate = types.MethodType(evaluate, actual_evaluator)
    return actual_evaluator


class GenericMultiNodeEvaluator(extension.Extension):
    """Evaluates ``target`` on each rank's batches and aggregates all results on ``root``.

    Override :meth:`calc_local` (the result of one batch, by default the
    target's output) and :meth:`aggregate` (all ranks' results on ``root``, by
    default the list itself). Calling it returns the aggregate on ``root`` and
    ``None`` elsewhere; every rank must call it together.

    Args:
        comm: A ChainerMN communicator.
        iterator: This rank's iterator (not repeating).
        target: The link (or callable) evaluated.
        device: The device the converter sends batches to.
        converter: Turns a batch into the target's arguments.
        root: The rank that aggregates.
        progress_hook: Called with each batch.
    """

    trigger = 1, 'epoch'
    default_name = 'validation'
    priority = extension.PRIORITY_WRITER
    name = None

    def __init__(self, comm: Any, iterator: Any, target: Any, device: Any = None,
                 converter: Callable[..., Any] = concat_examples, root: int = 0, *,
                 progress_hook: Callable[[Any], None] | None = None) -> None:
        if not 0 <= root < comm.size:
            raise ValueError(f'GenericMultiNodeEvaluator: root must lie in [0, {comm.size}), '
                             f'got {root}')
        self.comm = comm
        self.iterator = iterator
        self._targets = {'main': target}
        self.converter = converter
        self.device = None if device is None else backend.get_device(device)
        self._progress_hook = progress_hook
        self.root = root

    def __call__(self, trainer: Any = None) -> Any:
        if hasattr(self.iterator, 'reset'):
            self.iterator.reset()
            iterator = self.iterator
        else:
            iterator = copy.copy(self.iterator)
        results = list(self._evaluate_local(iterator))
        return self.aggregate(results) if self.comm.rank == self.root else None

    def calc_local(self, *args: Any, **kwargs: Any) -> Any:
        """The result of one batch (the target's output by default)."""
        return self._targets['main'](*args, **kwargs)

    def aggregate(self, results: list[Any]) -> Any:
        """Combines the results of all ranks' batches on ``root`` (the list by default)."""
        return results

    def _calc_batch(self, batch: Any) -> Any:
        in_arrays = call_converter(self.converter, batch, self.device)
        with no_backprop_mode():
            if isinstance(in_arrays, tuple):
                result = self.calc_local(*in_arrays)
            elif isinstance(in_arrays, dict):
                result = self.calc_local(**in_arrays)
            else:
                result = self.calc_local(in_arrays)
        if self._progress_hook is not None:
            self._progress_hook(batch)
        return _to_host(result)

    def _evaluate_local(self, iterator: Any) -> Iterator[Any]:
        """Yields on ``root`` the results of all ranks, batch by batch, rank by rank, until
        every rank's iterator is exhausted."""
        while True:
            try:
                result = (self._calc_batch(iterator.next()),)
            except StopIteration:
                result = None
            gathered = self.comm.gather_obj(result, root=self.root)
            done = None
            if self.comm.rank == self.root:
                valid = [r[0] for r in gathered if r is not None]
                yield from valid
                done = not valid
            if self.comm.bcast_obj(done, root=self.root):
                return
