"""polychain.print_runtime_info and ``python -m polychain info``."""

from __future__ import annotations

import io
import platform
import subprocess
import sys

import numpy
import pytest

import polychain
from polychain.backend import BackendUnavailable, registry


def printed() -> dict[str, str]:
    """The ``label: value`` lines of print_runtime_info, keyed by label (indented ones too)."""
    out = io.StringIO()
    polychain.print_runtime_info(out)
    return dict(line.strip().split(': ', 1) for line in out.getvalue().splitlines()
                if ': ' in line)


def test_prints_platform_and_versions():
    info = printed()
    assert info['Platform'] == platform.platform()
    assert info['Python'] == platform.python_version()
    assert info['polychain'] == polychain.__version__
    assert info['NumPy'] == numpy.__version__
    assert info['array-api-compat'] != 'Not Available'


def test_lists_every_backend_with_its_devices():
    info = printed()
    assert info['numpy'] == f'available (numpy {numpy.__version__}); devices: @numpy'
    assert set(registry.backend_names()) <= set(info)


def test_an_unavailable_backend_shows_the_reason():
    def missing():
        raise BackendUnavailable('its library is not installed')

    registry.register_backend('missing', missing)
    try:
        info = printed()
    finally:
        registry.unregister_backend('missing')
    assert info['missing'] == ("unavailable (backend 'missing' is unavailable: "
                               "its library is not installed)")


def test_a_failing_listing_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch):
    def broken():
        raise KeyError('devices')

    monkeypatch.setattr('polychain._runtime_info.list_backends', broken)
    info = printed()
    assert info['listing the backends failed with KeyError'] == "'devices'"
    assert info['NumPy'] == numpy.__version__


def test_writes_to_stdout_by_default(capsys: pytest.CaptureFixture[str]):
    polychain.print_runtime_info()
    assert capsys.readouterr().out.startswith(f'Platform: {platform.platform()}\n')


def test_command_line_info():
    result = subprocess.run([sys.executable, '-m', 'polychain', 'info'], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f'polychain: {polychain.__version__}\n' in result.stdout
    assert f'Chainer API: {polychain.chainer_api_version}\n' in result.stdout
    assert '  numpy: available' in result.stdout


def test_get_runtime_info_is_what_print_runtime_info_prints():
    from polychain import _runtime_info
    info = _runtime_info._get_runtime_info()
    assert polychain.__version__ in str(info)
    out = io.StringIO()
    _runtime_info.print_runtime_info(out)
    assert out.getvalue() == str(info)


def test_blas_threads_as_threadpoolctl_reports_them():
    threadpoolctl = pytest.importorskip('threadpoolctl')
    with threadpoolctl.threadpool_limits(limits=1, user_api='blas'):
        line = printed()['BLAS threads']
    pools = [pool for pool in threadpoolctl.threadpool_info() if pool['user_api'] == 'blas']
    assert pools, 'NumPy loads a BLAS library'
    assert line == '; '.join(f"1 ({pool['internal_api']} {pool['version']} in "
                             f"{pool['filepath'].split('/')[-2]})" for pool in pools)


def test_blas_threads_from_the_environment_without_threadpoolctl(monkeypatch):
    monkeypatch.setitem(sys.modules, 'threadpoolctl', None)  # import fails
    for name in ('OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS', 'BLIS_NUM_THREADS', 'OMP_NUM_THREADS'):
        monkeypatch.delenv(name, raising=False)
    assert printed()['BLAS threads'].startswith(
        'none of OPENBLAS_NUM_THREADS, MKL_NUM_THREADS, BLIS_NUM_THREADS, OMP_NUM_THREADS is set: '
        'the library default')
    monkeypatch.setenv('OPENBLAS_NUM_THREADS', '3')
    assert printed()['BLAS threads'] == ('OPENBLAS_NUM_THREADS=3 (install threadpoolctl to ask '
                                         'the library)')
