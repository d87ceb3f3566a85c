"""Makes ``chainer`` polychain in every process an example starts (worker processes too).

The bootstrap puts this folder on ``PYTHONPATH``; Python imports this module at start-up.
"""

from polychain_conformance.chainer_examples.bootstrap import install

install()
