"""What the optimizers share: rules with default hyperparameters and zero-filled state,
gradient methods that give one rule class their hyperparameter, and common update steps."""

from __future__ import annotations

from typing import Any

from polychain.optimizer import GradientMethod, Hyperparameter, UpdateRule, set_entries


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
    """

    defaults: Hyperparameter | None = None
    zero_states: tuple[str, ...] = ()

    def __init__(self, parent_hyperparam: Hyperparameter | None = None, **entries: Any) -> None:
        super().__init__(parent_hyperparam or self.defaults)
        set_entries(self.hyperparam, **entries)

    def init_state(self, param: Any) -> None:
        for name in self.zero_states:
            self.state[name] = param.device.namespace.zeros_like(param.array)

    def update_core(self, param: Any) -> None:
        """Updates ``param`` with :meth:`update_array` unless it has no gradient (or no array)."""
        if param.grad is not None:
            self.update_array(param)

    def update_array(self, param: Any) -> None:
        """Assigns the new array and state of a parameter with a gradient; rules implement it."""
        raise NotImplementedError(f'{type(self).__name__} must implement update_array(param)')


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
