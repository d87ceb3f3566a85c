"""Noise functions: dropout and friends, drawing from the device's seeded generator."""

from polychain.functions.noise.dropout import dropout
from polychain.functions.noise.gaussian import gaussian
from polychain.functions.noise.gumbel_softmax import gumbel_softmax
from polychain.functions.noise.simplified_dropconnect import simplified_dropconnect
from polychain.functions.noise.zoneout import zoneout

__all__ = ['dropout', 'gaussian', 'gumbel_softmax', 'simplified_dropconnect', 'zoneout']
