"""PrintReport: a header and one row per log entry."""

import io

from polychain.training import extensions

from .training_setup import make_trainer


def test_prints_header_and_rows(tmp_path):
    out = io.StringIO()
    trainer = make_trainer(tmp_path, (2, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(['epoch', 'iteration', 'main/loss', 'missing'],
                                          out=out))
    trainer.run()
    lines = out.getvalue().splitlines()
    log = trainer.get_extension('LogReport').log
    assert lines[0] == 'epoch        iteration    main/loss    missing'
    assert len(lines) == 1 + len(log)
    for line, entry in zip(lines[1:], log):
        cells = line.split()
        assert cells == [str(entry['epoch']), str(entry['iteration']), f"{entry['main/loss']:g}"]
        assert line.startswith(f"{entry['epoch']:<10}   {entry['iteration']:<10}   ")


def test_finds_a_renamed_log_report(tmp_path):
    out = io.StringIO()
    trainer = make_trainer(tmp_path, (1, 'epoch'))
    trainer.extend(extensions.LogReport(), name='my_log')
    trainer.extend(extensions.PrintReport(['epoch'], log_report='my_log', out=out))
    trainer.run()
    assert out.getvalue().splitlines() == ['epoch', '1']


def test_a_stream_without_flush_is_enough(tmp_path):
    class WriteOnly:
        def __init__(self):
            self.parts = []

        def write(self, text):
            self.parts.append(text)

    out = WriteOnly()
    trainer = make_trainer(tmp_path, (1, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(['epoch'], out=out))
    trainer.run()
    assert ''.join(out.parts).splitlines() == ['epoch', '1']


def test_header_comes_at_the_first_call_after_what_ran_before_training(tmp_path):
    out = io.StringIO()
    trainer = make_trainer(tmp_path, (1, 'epoch'))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(['epoch'], out=out))
    trainer.extend(lambda trainer: out.write('resumed\n'), name='say', call_before_training=True,
                   trigger=lambda trainer: False)
    trainer.run()
    assert out.getvalue().splitlines() == ['resumed', 'epoch', '1']
