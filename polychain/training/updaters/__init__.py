"""Updaters run one training iteration."""

from polychain.training.updaters.multiprocess_parallel_updater import MultiprocessParallelUpdater
from polychain.training.updaters.parallel_updater import ParallelUpdater
from polychain.training.updaters.standard_updater import StandardUpdater

__all__ = ['MultiprocessParallelUpdater', 'ParallelUpdater', 'StandardUpdater']
