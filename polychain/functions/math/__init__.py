"""Elementwise math, reductions and products."""

from polychain.functions.math.basic_math import absolute
from polychain.functions.math.exponential import exp, log, sqrt
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import mean, sum  # noqa: A004

__all__ = ['absolute', 'exp', 'log', 'matmul', 'mean', 'sqrt', 'sum']
