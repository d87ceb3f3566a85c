"""Evaluator: computes the mean of the target's reports over a validation dataset."""

from __future__ import annotations

import copy
import sys
import warnings
from collections.abc import Callable
from typing import Any

from polychain.backend.registry import get_device
from polychain.compiler.jit import CompiledFunction, jit
from polychain.configuration import no_backprop_mode, using_config
from polychain.dataset import call_converter, concat_examples
from polychain.dataset.convert import convert_for_compiled_step
from polychain.link import Link
from polychain.reporter import DictSummary, Reporter, report, report_scope
from polychain.training.extension import PRIORITY_WRITER, Extension


class Evaluator(Extension):
    """Runs the target over an iterator in test mode and reports the means.

    Values the target reports (e.g. ``main/loss``) are reported again as
    ``validation/main/loss`` (``<name>/<observer>/<key>``).

    Args:
        iterator: The validation iterator (or a dict with ``'main'``); it should not repeat.
        target: The link to evaluate (or a dict of links).
        converter: Turns a batch into arrays (default ``concat_examples``).
        device: Where the batch goes.
        eval_hook: Called with the evaluator before each evaluation.
        eval_func: Called with the converted batch (default: the main target).
        progress_bar: Show the progress of each evaluation on standard error.
        compile: Compile the evaluation of a batch on backends that compile
            (JAX; see :func:`polychain.jit`), once per batch shape.

    An iterator that repeats would never end an evaluation; giving one warns
    (:class:`UserWarning`).
    """

    trigger = 1, 'epoch'
    default_name = 'validation'
    priority = PRIORITY_WRITER

    def __init__(self, iterator: Any, target: Any, converter: Callable[..., Any] | None = None,
                 device: Any = None, eval_hook: Callable[[Any], None] | None = None,
                 eval_func: Callable[..., Any] | None = None, *,
                 progress_bar: bool = False, compile: bool = False) -> None:
        self._iterators = iterator if isinstance(iterator, dict) else {'main': iterator}
        for name, it in self._iterators.items():
            if getattr(it, 'repeat', False):
                warnings.warn(f'Evaluator: the iterator {name!r} repeats (repeat=True), so an '
                              f'evaluation would never end; create it with repeat=False',
                              UserWarning, stacklevel=2)
        self._targets = target if isinstance(target, dict) else {'main': target}
        self.converter = converter if converter is not None else concat_examples
        self.device = None if device is None else get_device(device)
        self.eval_hook = eval_hook
        self.eval_func = eval_func
        self._progress_bar = progress_bar
        self.compile = compile
        self._compiled: CompiledFunction | None = None

    def get_iterator(self, name: str) -> Any:
        """The iterator called ``name``."""
        return self._iterators[name]

    def get_target(self, name: str) -> Any:
        """The target called ``name``."""
        return self._targets[name]

    def __call__(self, trainer: Any = None) -> dict[str, float]:
        """Evaluates and reports under this extension's name (none when called outside a
        trainer, which names it); returns the means."""
        reporter = Reporter()
        prefix = '' if self.name is None else self.name + '/'
        for name, target in self._targets.items():
            reporter.add_observer(prefix + name, target)
            reporter.add_observers(prefix + name, target.namedlinks(skipself=True))
        with reporter:
            with using_config('train', False):
                result = self.evaluate()
        report(result)
        return result

    def evaluate(self) -> dict[str, float]:
        """The mean of every value reported while running over the iterator."""
        iterator = self._iterators['main']
        eval_func = self.eval_func or self._targets['main']
        convert = call_converter
        if self.compile:
            eval_func = self._compiled_eval(eval_func)
            convert = convert_for_compiled_step
        if self.eval_hook is not None:
            self.eval_hook(self)
        if hasattr(iterator, 'reset'):
            iterator.reset()
            batches = iterator
        else:
            batches = copy.copy(iterator)
        summary = DictSummary()
        total = _length_of(iterator)
        for count, batch in enumerate(batches, 1):
            observation: dict[str, Any] = {}
            with report_scope(observation):
                in_arrays = convert(self.converter, batch, self.device)
                with no_backprop_mode():
                    if isinstance(in_arrays, tuple):
                        eval_func(*in_arrays)
                    elif isinstance(in_arrays, dict):
                        eval_func(**in_arrays)
                    else:
                        eval_func(in_arrays)
            summary.add(observation)
            if self._progress_bar:
                _show_progress(count, total)
        if self._progress_bar:
            sys.stderr.write('\n')
        return summary.compute_mean()

    def _compiled_eval(self, eval_func: Callable[..., Any]) -> CompiledFunction:
        """``eval_func`` compiled with the targets' arrays as its state."""
        if self._compiled is None or self._compiled.function is not eval_func:
            targets = [t for t in self._targets.values() if isinstance(t, Link)]
            self._compiled = jit(eval_func, state=targets, donate=False)
        return self._compiled

    def finalize(self) -> None:
        """Finalizes the iterators."""
        for iterator in self._iterators.values():
            finalize = getattr(iterator, 'finalize', None)
            if finalize is not None:
                finalize()


def _length_of(iterator: Any) -> int | None:
    """The number of batches of a non-repeating iterator over a sized dataset, if known."""
    dataset, batch_size = getattr(iterator, 'dataset', None), getattr(iterator, 'batch_size', None)
    if dataset is None or not batch_size or not hasattr(dataset, '__len__'):
        return None
    return -(-len(dataset) // batch_size)


def _show_progress(count: int, total: int | None) -> None:
    if total:
        sys.stderr.write(f'\rvalidation: {count}/{total} iterations '
                         f'({100.0 * count / total:.1f}%)')
    else:
        sys.stderr.write(f'\rvalidation: {count} iterations')
    sys.stderr.flush()
