"""PlotReport (needs matplotlib, the ``plot`` extra)."""

import sys

import pytest

from polychain.training import extensions

from .training_setup import make_trainer, round_trip

pytest.importorskip('matplotlib')

PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


def test_writes_an_image_each_epoch(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    plot = extensions.PlotReport(['main/loss', 'main/accuracy'])
    trainer.extend(plot)
    trainer.run()
    assert (tmp_path / 'plot.png').read_bytes().startswith(PNG_SIGNATURE)
    assert [x for x, _ in plot._data['main/loss']] == [1, 2]
    assert [name for name in tmp_path.iterdir() if name.name != 'plot.png'] == []


def test_iteration_axis_file_name_alias_and_postprocess(tmp_path):
    seen = []
    trainer = make_trainer(tmp_path, (4, 'iteration'))
    trainer.extend(extensions.PlotReport('main/loss', x_key='iteration',
                                         trigger=(2, 'iteration'), file_name='loss.svg',
                                         postprocess=lambda f, a, s: seen.append(a)))
    trainer.run()
    assert b'<svg' in (tmp_path / 'loss.svg').read_bytes()
    assert len(seen) == 2


def test_no_file_without_data(tmp_path):
    trainer = make_trainer(tmp_path, (1, 'epoch'))
    trainer.extend(extensions.PlotReport('absent'))
    trainer.run()
    assert not (tmp_path / 'plot.png').exists()


def test_serialize_keeps_the_points(tmp_path):
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    plot = extensions.PlotReport('main/loss')
    trainer.extend(plot)
    trainer.run()
    restored = round_trip(plot, extensions.PlotReport('main/loss'))
    assert restored._data == plot._data


def test_invalid_arguments():
    with pytest.raises(ValueError, match='x_key'):
        extensions.PlotReport('main/loss', x_key='time')
    with pytest.raises(TypeError, match='unexpected'):
        extensions.PlotReport('main/loss', filenam='x.png')


def test_missing_matplotlib_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, 'matplotlib.figure', None)
    assert not extensions.PlotReport.available()
    with pytest.raises(RuntimeError, match=r"pip install 'polychain\[plot\]'"):
        extensions.PlotReport('main/loss')
