"""One backward step of a function and the checks that debug mode runs on its gradients.

:class:`polychain.backprop._Backprop` keeps gradients in its own tables for
speed; :func:`backprop_step` is Chainer's interface to the same step, on a
dict of gradient lists.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import Any

from polychain.configuration import config
from polychain.variable import Variable, VariableNode


def targets_only(func: Any, targets: tuple[int, ...],
                 grad_inputs: Sequence[Any]) -> tuple[Any, ...]:
    """The gradients of the targets, from a backward that returned one per target or input.

    Raises:
        ValueError: The backward returned another number of gradients.
    """
    n = len(grad_inputs)
    if n == len(targets):
        return tuple(grad_inputs)
    n_inputs = len(func.inputs)
    if n == n_inputs:
        return tuple([grad_inputs[i] for i in targets])
    expected = n_inputs if n_inputs == len(targets) else f'{n_inputs} or {len(targets)}'
    raise ValueError(f'{func.label}: number of gradients returned from backward is incorrect: '
                     f'{n} != expected {expected}')


def check_gradient_type(func: Any, gx: Any) -> None:
    """Raises ValueError unless ``gx`` is a Variable or ``None`` (debug mode)."""
    if gx is not None and not isinstance(gx, Variable):
        raise ValueError(f'{func.label}: type of gradients returned from backward is '
                         f'incorrect: {type(gx).__name__} != expected Variable')


def check_gradient(func: Any, index: int, gx: Variable, previous: Variable | None) -> None:
    """Debug-mode checks of the gradient ``gx`` of input ``index`` of ``func``.

    Its shape must be the input's (where the input array is known: a leaf or
    a retained input), its dtype that of the gradient the input already has,
    and it must hold no NaN.

    Raises:
        ValueError: Wrong shape or dtype.
        RuntimeError: NaN in the gradient.
    """
    shape = _input_shape(func, index)
    if shape is not None and tuple(gx.shape) != shape:
        raise ValueError(f'{func.label}: shape of gradients returned from backward is '
                         f'incorrect: input {index} has shape {shape}, its gradient '
                         f'{tuple(gx.shape)}')
    if previous is not None and previous.dtype != gx.dtype:
        raise ValueError(f'{func.label}: dtype of gradients returned from backward is '
                         f'incorrect: input {index} has a gradient of {previous.dtype}, '
                         f'backward returned {gx.dtype}')
    xp = gx.device.namespace
    data = gx.array
    if xp.isdtype(data.dtype, ('real floating', 'complex floating')) and \
            bool(xp.any(xp.isnan(data))):
        raise RuntimeError(f'NaN is detected on backward computation of {func.label}')


class NaNInForward(RuntimeError):
    """NaN in an output of a function (debug mode); names the function in backward too."""

    def __init__(self, label: str) -> None:
        super().__init__(f'NaN is detected on forward computation of {label}')
        self.label = label
        self.in_backward = False


def annotate_backward_error(func: Any, error: BaseException) -> None:
    """Completes the message of ``error``, raised in the backward of ``func``.

    A NaN found in a function that the backward called is reported as a NaN in
    the backward of ``func``; where debug mode recorded where ``func`` was
    called (``func.stack``), that stack is appended, as Chainer does.
    """
    if isinstance(error, NaNInForward) and not error.in_backward:
        error.in_backward = True
        error.args = (f'NaN is detected on backward computation of {func.label} '
                      f'(in {error.label}, which its backward called)',)
    stack = getattr(func, 'stack', None)
    if not stack:
        return
    text = (f'\n\nStacktrace of {func.label}, where it was called in the forward '
            f'computation:\n' + ''.join(traceback.format_list(stack)))
    if error.args and isinstance(error.args[0], str):
        error.args = (error.args[0] + text,) + error.args[1:]
    else:
        error.args = error.args + (text,)


def _input_shape(func: Any, index: int) -> tuple[int, ...] | None:
    variable = func.inputs[index].get_variable_or_none()
    if variable is not None and variable.array is not None:
        return variable.shape
    retained = func._retain_input_indexes
    if retained and index in retained and func._retained_input_data is not None:
        return tuple(func._retained_input_data[list(retained).index(index)].shape)
    return None


def backprop_step(func: Any, target_input_indexes: tuple[int, ...],
                  grad_outputs: tuple[Any, ...], grad_inputs: dict[VariableNode, list[Any]],
                  is_debug: bool) -> None:
    """Runs the backward of ``func`` and adds the gradients to ``grad_inputs``.

    Args:
        func (~polychain.FunctionNode): The function.
        target_input_indexes: Sorted indexes of the inputs that need a gradient.
        grad_outputs: One gradient (or ``None``) per output.
        grad_inputs: Per input node, the list of gradients it has received;
            the new ones are appended (and each list summed to one entry
            unless ``config.lazy_grad_sum`` is on).
        is_debug: Run the debug-mode checks.
    """
    inputs = func.inputs
    if func._accumulates:
        received = []
        for i in target_input_indexes:
            # An input passed twice gets its gradient at its first position only.
            grads = grad_inputs[inputs[i]]
            received.append(_reduce(grads))
            grads.clear()
        gxs = targets_only(func, target_input_indexes, func.backward_accumulate(
            target_input_indexes, grad_outputs, tuple(received)))
    else:
        try:
            gxs = func.backward(target_input_indexes, grad_outputs)
        except Exception as error:
            annotate_backward_error(func, error)
            raise
        if is_debug:
            for gx in gxs:
                check_gradient_type(func, gx)
        gxs = targets_only(func, target_input_indexes, gxs)
    for i, gx in zip(target_input_indexes, gxs):
        if gx is None:
            continue
        if not isinstance(gx, Variable):
            gx = Variable(gx, requires_grad=False)
        received = grad_inputs[inputs[i]]
        if is_debug:
            check_gradient(func, i, gx, received[0] if received else None)
        received.append(gx)
    if not config.lazy_grad_sum:
        for received in grad_inputs.values():
            _reduce(received)


def _reduce(grads: list[Any]) -> Any:
    """Sums the gradients of ``grads`` into its only entry; returns it (``None`` if empty)."""
    if not grads:
        return None
    if len(grads) > 1:
        total = grads[0]
        for g in grads[1:]:
            total = total + g
        grads[:] = [total]
    return grads[0]
