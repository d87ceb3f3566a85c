"""The version of polychain, in one place: pyproject.toml reads it from here."""

__version__ = '0.1.0'

#: The Chainer release whose API polychain follows (``chainer.__version__`` under the
#: ``chainer`` alias of the conformance suites).
chainer_api_version = '7.8.1'
