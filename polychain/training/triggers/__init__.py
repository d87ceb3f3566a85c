"""Triggers decide when extensions run and when training stops."""

from polychain.training.triggers.interval_trigger import IntervalTrigger, get_trigger

__all__ = ['IntervalTrigger', 'get_trigger']
