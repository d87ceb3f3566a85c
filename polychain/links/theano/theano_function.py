"""TheanoFunction: Chainer's link around a Theano graph, which polychain cannot run."""

from __future__ import annotations

import importlib.util
from typing import Any

from polychain.link import Link


class TheanoFunction(Link):
    """Chainer's link that runs a Theano graph as a function; not available in polychain.

    Theano (unmaintained since 2017) compiles graphs for NumPy and its own
    GPU arrays only, and polychain has no bridge to it: building this link
    always raises. Write the computation with ``polychain.functions`` instead.

    Args:
        inputs: Theano input variables.
        outputs: Theano output variables.

    Raises:
        RuntimeError: Always, saying whether Theano is installed.
    """

    def __init__(self, inputs: Any, outputs: Any) -> None:
        installed = importlib.util.find_spec('theano') is not None
        state = ('Theano is installed, but polychain has no bridge to Theano graphs'
                 if installed else 'Theano is not installed, and polychain has no bridge '
                 'to Theano graphs either')
        raise RuntimeError(f'TheanoFunction: cannot wrap a Theano function: {state}; write '
                           f'the computation with polychain.functions instead')
