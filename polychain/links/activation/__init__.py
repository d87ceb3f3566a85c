"""Activation links."""

from polychain.links.activation.maxout import Maxout
from polychain.links.activation.prelu import PReLU
from polychain.links.activation.swish import Swish

__all__: list[str] = ['Maxout', 'PReLU', 'Swish']
