"""``import polychain`` and NumPy work must not import the other backends' libraries."""

from __future__ import annotations

import subprocess
import sys
import textwrap

OPTIONAL_LIBRARIES = ('jax', 'cupy', 'array_api_strict')

SCRIPT = textwrap.dedent(f"""
    import sys

    import numpy as np

    import polychain
    from polychain import Variable

    x = Variable(np.array([5], 'f'))
    y = x**2 - 2 * x + 1
    y.backward()
    assert y.array.tolist() == [16.0] and x.grad.tolist() == [8.0], (y.array, x.grad)
    print(','.join(name for name in {OPTIONAL_LIBRARIES!r} if name in sys.modules))
""")


def test_numpy_work_imports_no_other_array_library():
    result = subprocess.run([sys.executable, '-c', SCRIPT], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '', f'imported by polychain: {result.stdout.strip()}'
