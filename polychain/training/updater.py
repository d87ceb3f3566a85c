"""The Updater interface and the updaters StandardUpdater and ParallelUpdater, as in Chainer's
``chainer.training.updater`` (the interface lives in ``_updater``, which the updaters import)."""

from polychain.training._updater import Updater
from polychain.training.updaters.parallel_updater import ParallelUpdater
from polychain.training.updaters.standard_updater import StandardUpdater

__all__ = ['ParallelUpdater', 'StandardUpdater', 'Updater']
