"""Triggers decide when extensions run and when training stops."""

from polychain.training.triggers.early_stopping_trigger import EarlyStoppingTrigger
from polychain.training.triggers.interval_trigger import IntervalTrigger, get_trigger
from polychain.training.triggers.manual_schedule_trigger import ManualScheduleTrigger
from polychain.training.triggers.minmax_value_trigger import (
    BestValueTrigger,
    MaxValueTrigger,
    MinValueTrigger,
)
from polychain.training.triggers.once_trigger import OnceTrigger
from polychain.training.triggers.time_trigger import TimeTrigger

__all__ = [
    'BestValueTrigger', 'EarlyStoppingTrigger', 'IntervalTrigger', 'ManualScheduleTrigger',
    'MaxValueTrigger', 'MinValueTrigger', 'OnceTrigger', 'TimeTrigger', 'get_trigger',
]
