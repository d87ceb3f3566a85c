"""The command line: ``python -m polychain backends``."""

from __future__ import annotations

import subprocess
import sys


def _run(*args):
    return subprocess.run([sys.executable, '-m', 'polychain', *args], capture_output=True,
                          text=True, timeout=120)


def test_backends_lists_numpy_as_available_with_its_device():
    result = _run('backends')
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line.split(maxsplit=2)[1:] for line in result.stdout.splitlines()
            if line.strip()}
    status, details = rows['numpy']
    assert status == 'available'
    assert 'devices: @numpy' in details


def test_command_is_required():
    result = _run()
    assert result.returncode == 2
    assert 'backends' in result.stderr
