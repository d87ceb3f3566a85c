"""Training: the Trainer, updaters, triggers and extensions."""

from polychain.training import extensions, triggers, updaters, util
from polychain.training.extension import (
    PRIORITY_EDITOR,
    PRIORITY_READER,
    PRIORITY_WRITER,
    Extension,
    make_extension,
)
from polychain.training.trainer import Trainer
from polychain.training.triggers import IntervalTrigger, get_trigger
from polychain.training.updater import Updater
from polychain.training.updaters import ParallelUpdater, StandardUpdater

__all__ = [
    'PRIORITY_EDITOR', 'PRIORITY_READER', 'PRIORITY_WRITER', 'Extension', 'IntervalTrigger',
    'ParallelUpdater', 'StandardUpdater', 'Trainer', 'Updater', 'extensions', 'get_trigger',
    'make_extension', 'triggers', 'updaters', 'util',
]
