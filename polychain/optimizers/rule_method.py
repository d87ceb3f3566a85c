"""What the optimizers share: rules with default hyperparameters and zero-filled state,
gradient methods that give one rule class their hyperparameter, and common update steps."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import GradientMethod, Hyperparameter, UpdateRule, set_entries
from polychain.variable import Variable


def _assign(hyperparam: Hyperparameter, entries: dict[str, Any]) -> None:
    for name, value in entries.items():
        setattr(hyperparam, name, value)


def default_hyperparam(**entries: Any) -> Hyperparameter:
    """A parentless :class:`Hyperparameter` holding ``entries``: an optimizer's defaults."""
    hyperparam = Hyperparameter()
    _assign(hyperparam, entries)
    return hyperparam


class DefaultedRule(UpdateRule):
    """An update rule that falls back to ``defaults`` and starts its ``zero_states`` at 0.

    Args:
        parent_hyperparam: The hyperparameter providing default values;
            ``None`` uses the class's ``defaults``.
        entries: The rule's own hyperparameter entries; ``None`` ones are
            left to the parent.

    Attributes:
        defaults: The hyperparameter used when no parent is given.
        zero_states: The state entries created as zeros of the parameter's
            shape, dtype and device.
        half_in_float32: Compute the update of a float16 parameter in float32
            (state and parameter stay float16), as Chainer's Adam does.
    """

    defaults: Hyperparameter | None = None
    zero_states: tuple[str, ...] = ()
    half_in_float32 = False

    def __init__(self, parent_hyperparam: Hyperparameter | None = None, **entries: Any) -> None:
        super().__init__(parent_hyperparam or self.defaults)
        set_entries(self.hyperparam, **entries)

    def init_state(self, param: Any) -> None:
        for name in self.zero_states:
            self.state[name] = param.device.namespace.zeros_like(param.array)

    def update_core(self, param: Any) -> None:
        """Updates ``param`` with :meth:`update_array` unless it has no gradient (or no array)."""
        grad = param.grad
        if grad is None:
            return
        if self.half_in_float32 and grad.dtype == getattr(param.device.namespace, 'float16', None):
            self._update_half_in_float32(param)
        else:
            self.update_array(param)

    def _update_half_in_float32(self, param: Any) -> None:
        """Runs :meth:`update_array` on float32 copies of a float16 parameter and its state,
        then stores the results back in float16."""
        xp = param.device.namespace
        half_state = self._state
        self._state = {key: _as_float32(xp, value) for key, value in half_state.items()}
        work = Variable(xp.astype(param.array, xp.float32))
        work.grad = xp.astype(param.grad, xp.float32)
        try:
            self.update_array(work)
        finally:
            updated, self._state = self._state, half_state
        for key, value in updated.items():
            half_state[key] = xp.astype(value, xp.float16) if hasattr(value, 'dtype') else value
        param.array = xp.astype(work.array, xp.float16)

    def update_array(self, param: Any) -> None:
        """Assigns the new array and state of a parameter with a gradient; rules implement it."""
        raise NotImplementedError(f'{type(self).__name__} must implement update_array(param)')


def _as_float32(xp: Any, value: Any) -> Any:
    return xp.astype(value, xp.float32) if hasattr(value, 'dtype') else value


class RuleMethod(GradientMethod):
    """A gradient method whose update rules are ``rule_class`` instances under its hyperparameter.

    Args:
        entries: The optimizer's hyperparameter entries, set as given.

    Attributes:
        rule_class: The :class:`~polychain.optimizer.UpdateRule` made for each parameter.
    """

    rule_class: type[UpdateRule]

    def __init__(self, **entries: Any) -> None:
        super().__init__()
        _assign(self.hyperparam, entries)

    def create_update_rule(self) -> UpdateRule:
        return self.rule_class(self.hyperparam)


def update_moments(rule: UpdateRule, grad: Any, beta1: float, beta2: float) -> tuple[Any, Any]:
    """Moves the running averages ``m`` of grad and ``v`` of grad**2 in ``rule.state``.

    ``m += (1 - beta1) * (grad - m)``; ``v += (1 - beta2) * (grad**2 - v)``.

    Returns:
        The new ``(m, v)``, also assigned to the state.
    """
    m = rule.state['m'] + (1 - beta1) * (grad - rule.state['m'])
    v = rule.state['v'] + (1 - beta2) * (grad * grad - rule.state['v'])
    rule.state['m'] = m
    rule.state['v'] = v
    return m, v


def take_decoupled_step(param: Any, step: Any, hyperparam: Hyperparameter) -> None:
    """``param -= eta * (step + weight_decay_rate * param)``: decoupled weight decay."""
    param.array = param.array - float(hyperparam.eta) * (
        step + float(hyperparam.weight_decay_rate) * param.array)
