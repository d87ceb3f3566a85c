"""NumPy 1 names that Chainer 7.8.1's tests use and NumPy 2 removed.

Chainer's tests were written for NumPy 1 (``numpy.product``,
``numpy.complex_``, ``numpy.object``). :func:`restore` puts those aliases back
on the ``numpy`` module of the test run only; polychain itself never uses them.
"""

from __future__ import annotations

import numpy

#: Removed name -> what it meant in NumPy 1.
ALIASES = {
    'product': numpy.prod,
    'complex_': numpy.complex128,
    'object': object,
}


def restore() -> list[str]:
    """Sets each alias NumPy lacks; returns the names it set."""
    missing = [name for name in ALIASES if name not in vars(numpy)]
    for name in missing:
        setattr(numpy, name, ALIASES[name])
    return missing
