"""The forward/backward example of Chainer's tutorial, run on a polychain device.

Prints each result next to the value the tutorial gives and exits with status 1
when any of them differs, so the script doubles as a smoke test::

    python examples/tutorial_forward_backward.py             # on @numpy
    python examples/tutorial_forward_backward.py --device @jax:cpu:0
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import numpy as np

import polychain as chainer
from polychain import Variable


class Checker:
    """Prints results and remembers which of them differ from the expected values."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, label: str, received: Any, expected: np.ndarray) -> None:
        """Compares ``received`` (an array of any backend) with ``expected`` on the host.

        Args:
            label: What is being checked, as printed.
            received: The computed array.
            expected: The value the tutorial gives, with its dtype.
        """
        host = chainer.backend.to_host(received)
        ok = (host is not None and host.shape == expected.shape
              and host.dtype == expected.dtype and np.allclose(host, expected))
        print(f'{label:<28} = {_format(host)}{"" if ok else "   MISMATCH"}')
        if not ok:
            self.failures.append(f'{label}: expected {_format(expected)} '
                                 f'({expected.dtype}), received {_format(host)} '
                                 f'({None if host is None else host.dtype})')


def _format(array: np.ndarray | None) -> str:
    return 'None' if array is None else str(array.tolist())


def run_tutorial(device: Any, checker: Checker) -> None:
    """Runs the tutorial's three forward/backward examples on ``device``.

    Args:
        device: Where the arrays live (a :class:`polychain.backend.Device`).
        checker: Receives every result together with the tutorial's value.
    """
    x = Variable(device.send(np.array([5], dtype=np.float32)))
    y = x**2 - 2 * x + 1
    checker.check('y = x**2 - 2*x + 1', y.array, np.array([16], np.float32))
    y.backward()
    checker.check('dy/dx at x = 5', x.grad, np.array([8], np.float32))

    x.cleargrad()
    z = 2 * x
    y = x**2 - z + 1
    y.backward(retain_grad=True)
    checker.check('dy/dz (retain_grad=True)', z.grad, np.array([-1], np.float32))
    checker.check('dy/dx (retain_grad=True)', x.grad, np.array([8], np.float32))

    x = Variable(device.send(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32)))
    y = x**2 - 2 * x + 1
    y.grad = device.send(np.ones((2, 3), dtype=np.float32))
    y.backward()
    checker.check('dy/dx for a 2x3 input', x.grad,
                  np.array([[0, 2, 4], [6, 8, 10]], np.float32))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='@numpy',
                        help='device specifier, e.g. @numpy, @jax:cpu:0, @cupy:0 (default: '
                             '%(default)s)')
    args = parser.parse_args(argv)
    try:
        device = chainer.get_device(args.device)
    except (ValueError, chainer.backend.BackendUnavailable) as error:
        parser.error(str(error))
    print(f'device: {device}')
    checker = Checker()
    run_tutorial(device, checker)
    if checker.failures:
        print('\nresults differ from the tutorial:', *checker.failures, sep='\n  ',
              file=sys.stderr)
        return 1
    print('\nall results match the tutorial')
    return 0


if __name__ == '__main__':
    sys.exit(main())
