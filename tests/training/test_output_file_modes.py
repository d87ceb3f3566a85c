"""The files a trainer writes (log, plot, snapshots) get the permissions the umask gives any
new file, as with ``open()``: not the 0600 of a private temporary file."""

import os
import stat

import pytest

from polychain.training import extensions

from .training_setup import make_trainer


@pytest.fixture(params=[0o022, 0o002, 0o077], ids=lambda mask: f'umask{mask:03o}')
def umask(request):
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def test_log_plot_and_snapshot_follow_the_umask(tmp_path, umask):
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.snapshot(filename='snapshot_iter_{.updater.iteration}.npz'))
    expected = {'log', 'snapshot_iter_4.npz', 'snapshot_iter_8.npz'}
    if extensions.PlotReport.available():
        trainer.extend(extensions.PlotReport(['main/loss'], file_name='loss.png'))
        expected.add('loss.png')
    trainer.run()
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    assert modes == {name: 0o666 & ~umask for name in expected}
