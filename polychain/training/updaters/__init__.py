"""Updaters run one training iteration."""

from polychain.training.updaters.standard_updater import StandardUpdater

__all__ = ['StandardUpdater']
