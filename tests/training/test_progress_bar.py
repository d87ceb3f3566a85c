"""ProgressBar: draws the progress of training into a stream, as Chainer does."""

import io
import re

import pytest

from polychain.training import extensions

from .training_setup import make_trainer


def _frames(text):
    """The drawings of the bar: the text between a clear-below and a cursor-up."""
    return re.findall(r'\x1b\[J(.*?)\x1b\[4A', text, flags=re.S)


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_draws_progress_until_the_end(tmp_path):
    out = _Terminal()
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.ProgressBar(update_interval=2, bar_length=10, out=out))
    trainer.run()
    frames = _frames(out.getvalue())
    # 8 iterations, 4 per epoch: a drawing every 2 iterations.
    assert len(frames) == 4
    total, epoch, position, speed = frames[1].splitlines()
    assert total == '     total [#####.....] 50.00%'
    assert epoch == 'this epoch [..........]  0.00%'
    assert position == '         4 iter, 1 epoch / 2 epochs'
    assert re.fullmatch(r' *[\d.e+inf]+ iters/sec\. Estimated time to finish: '
                        r'\d+:\d\d:\d\d(\.\d+)?\.', speed)
    assert frames[-1].splitlines()[0] == '     total [##########] 100.00%'
    assert out.getvalue().endswith('\x1b[J')


def test_explicit_training_length_in_iterations(tmp_path):
    out = _Terminal()
    trainer = make_trainer(tmp_path, (6, 'iteration'))
    trainer.extend(extensions.ProgressBar(training_length=(6, 'iteration'), update_interval=3,
                                          bar_length=6, out=out))
    trainer.run()
    frames = _frames(out.getvalue())
    assert [frame.splitlines()[0] for frame in frames] == [
        '     total [###...] 50.00%', '     total [######] 100.00%']
    assert frames[0].splitlines()[2] == '         3 iter, 0 epoch / 6 iterations'


def test_plain_lines_without_control_codes_when_not_a_terminal(tmp_path):
    out = io.StringIO()  # not a terminal, as a file or a pipe
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(['epoch'], out=out))
    trainer.extend(extensions.ProgressBar(update_interval=4, out=out))
    trainer.run()
    lines = out.getvalue().splitlines()
    assert '\x1b' not in out.getvalue()
    assert re.fullmatch(r'4 iter, 1 epoch / 2 epochs, total 50\.00%, [\d.e+inf]+ iters/sec\. '
                        r'Estimated time to finish: \d+:\d\d:\d\d(\.\d+)?\.', lines[1])
    assert [line.split(',')[0] for line in lines] == ['epoch', '4 iter', '1', '8 iter', '2']


def test_print_report_rows_replace_the_bar_on_a_terminal(tmp_path):
    out = _Terminal()
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(['epoch'], out=out))
    trainer.extend(extensions.ProgressBar(update_interval=1, out=out))
    trainer.run()
    # Each printed row clears what the bar drew below the cursor first.
    assert '\x1b[J1\n' in out.getvalue() and '\x1b[J2\n' in out.getvalue()


def test_needs_a_length_when_the_stop_trigger_has_none(tmp_path):
    trainer = make_trainer(tmp_path, lambda trainer: trainer.updater.iteration >= 2)
    trainer.extend(extensions.ProgressBar(out=io.StringIO()))
    with pytest.raises(ValueError, match='training_length'):
        trainer.run()


def test_update_interval_must_be_positive():
    with pytest.raises(ValueError, match='received 0'):
        extensions.ProgressBar(update_interval=0)
