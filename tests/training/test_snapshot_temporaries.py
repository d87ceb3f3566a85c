"""Temporaries of saves killed midway are removed by the next save of the same target."""

import contextlib
import fcntl
import os
import uuid

import numpy

import polychain as chainer
from polychain.serializers import save_npz
from polychain.training import extensions

from .training_setup import make_trainer


def _link():
    link = chainer.Link()
    with link.init_scope():
        link.w = chainer.Parameter(numpy.zeros(3, numpy.float32))
    return link


def leftover(path, directory=False):
    """A temporary file or directory as a killed save leaves it."""
    if directory:
        path.mkdir()
        (path / 'snapshot_iter_1').write_bytes(b'PK partial')
    else:
        path.write_bytes(b'PK partial')
    return path


@contextlib.contextmanager
def another_save_under_way(directory):
    """Holds the directory's lock as a save of another process does while it writes."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def test_save_npz_removes_stale_temporaries_of_its_file(tmp_path):
    stale = [leftover(tmp_path / f'.model.npz.{uuid.uuid4().hex}.tmp') for _ in range(2)]
    others = [leftover(tmp_path / f'.other.npz.{uuid.uuid4().hex}.tmp'),
              leftover(tmp_path / '.model.npz.notes.tmp')]
    save_npz(str(tmp_path / 'model.npz'), _link())
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in others)
    assert sorted(os.listdir(tmp_path)) == sorted([path.name for path in others] + ['model.npz'])


def test_temporaries_stay_while_another_save_is_under_way(tmp_path):
    temporary = leftover(tmp_path / f'.model.npz.{uuid.uuid4().hex}.tmp')
    with another_save_under_way(tmp_path):
        save_npz(str(tmp_path / 'model.npz'), _link())
    assert temporary.exists()
    save_npz(str(tmp_path / 'model.npz'), _link())
    assert not temporary.exists()


def test_snapshot_removes_stale_temporary_directories(tmp_path):
    stale = [leftover(tmp_path / 'tmpsnapshot_iter_7abcd_123', directory=True),
             leftover(tmp_path / 'tmpsnapshot_iter_12x1y2z3w', directory=True)]
    kept = [leftover(tmp_path / 'tmpsnapshot_iter_READMEabcdefgh', directory=True),
            leftover(tmp_path / 'tmpnotes12345678', directory=True)]
    trainer = make_trainer(tmp_path, (1, 'iteration'))
    trainer.extend(extensions.snapshot(), trigger=(1, 'iteration'))
    with another_save_under_way(tmp_path):
        trainer.run()
    assert all(path.exists() for path in stale + kept)
    trainer = make_trainer(tmp_path, (1, 'iteration'))
    trainer.extend(extensions.snapshot(), trigger=(1, 'iteration'))
    trainer.run()
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)
    assert (tmp_path / 'snapshot_iter_1').exists()
