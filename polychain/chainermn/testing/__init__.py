"""Helpers of ChainerMN's tests (``chainermn.testing``)."""

from polychain.chainermn.testing.device import get_device

__all__ = ['get_device']
