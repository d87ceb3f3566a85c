"""Chainer's ``chainer.training.util``: helpers shared by triggers and extensions."""

from polychain.training.triggers import get_trigger

__all__ = ['get_trigger']
