"""The network stand-in of example runs, and Chainer's download scripts on its generated files."""

from __future__ import annotations

import dataclasses
import tarfile
import urllib.error
import urllib.request
import zipfile

import numpy
import pytest

from polychain.links.caffe import caffe_pb
from polychain_conformance.chainer_examples import network, runner
from polychain_conformance.chainer_examples.catalogue import SCRIPTS
from polychain_conformance.chainer_examples.fixtures import downloads, text


@pytest.fixture
def stand_in(monkeypatch):
    """This process's ``urllib`` behind the network stand-in (the default opener restored after)."""
    monkeypatch.setattr(urllib.request, '_opener', None)
    network.install()


def test_known_url_is_served_to_urlretrieve(stand_in, tmp_path):
    sizes = []
    path, headers = urllib.request.urlretrieve(
        downloads.MEAN_URL, tmp_path / 'mean.npy',
        reporthook=lambda count, block, total: sizes.append(total))
    mean = numpy.load(path)
    assert (mean.shape, mean.dtype.name) == ((3, 256, 256), 'float64')
    assert sizes[0] == int(headers['Content-Length']) == (tmp_path / 'mean.npy').stat().st_size


def test_unknown_url_is_refused_naming_it(stand_in):
    url = 'https://example.com/data/unknown.tar.gz'
    with pytest.raises(urllib.error.URLError, match='unknown.tar.gz: this example run has no '
                                                    'network'):
        urllib.request.urlopen(url)


def test_file_urls_are_opened_as_usual(stand_in, tmp_path):
    (tmp_path / 'a.txt').write_text('local')
    with urllib.request.urlopen((tmp_path / 'a.txt').as_uri()) as response:
        assert response.read() == b'local'


def test_example_process_has_the_stand_in(tmp_path):
    script = tmp_path / 'fetch.py'
    script.write_text('import six\n'
                      f'six.moves.urllib.request.urlretrieve({downloads.BABI_URL!r}, "b.tgz")\n'
                      'six.moves.urllib.request.urlopen("http://example.com/")\n')
    outcome = runner.run_script(tmp_path, runner.ExampleScript('fetch.py', takes_device=False),
                                '@numpy', tmp_path, tmp_path / 'datasets')
    assert outcome.status == 'failed'
    assert outcome.reason.startswith('urllib.error.URLError: <urlopen error http://example.com/: '
                                     'this example run has no network')
    assert tarfile.is_tarfile(tmp_path / 'b.tgz')


def _run_without_fixtures(chainer_examples, tmp_path, path: str, *arguments: str
                          ) -> runner.Outcome:
    """Runs a catalogue script on @numpy on the files already in its folder, not its fixtures."""
    script = next(script for script in SCRIPTS if script.path == path)
    script = dataclasses.replace(script, arguments=arguments or script.arguments, fixtures=())
    outcome = runner.run_script(chainer_examples, script, '@numpy', tmp_path / script.family,
                                tmp_path / 'datasets')
    assert outcome.status == 'passed', f'{path}: {outcome.reason}\n{outcome.output[-3000:]}'
    return outcome


def test_sentiment_download_gives_the_trees_train_sentiment_reads(run_examples,
                                                                  chainer_examples, tmp_path):
    run_examples('sentiment/download.py')
    folder = tmp_path / 'sentiment'
    with zipfile.ZipFile(folder / 'trainDevTestTrees_PTB.zip') as archive:
        assert archive.namelist() == ['trees/', 'trees/train.txt', 'trees/dev.txt',
                                      'trees/test.txt']
    for name, content in text.sentiment_treebank().items():
        assert (folder / name).read_text() == content
    _run_without_fixtures(chainer_examples, tmp_path, 'sentiment/train_sentiment.py')


def test_memnn_download_gives_the_babi_tasks_train_memnn_reads(run_examples, chainer_examples,
                                                               tmp_path):
    run_examples('memnn/download.py')
    folder = tmp_path / 'memnn'
    with tarfile.open(folder / 'tasks_1-20_v1-2.tar.gz') as archive:  # the README's tar zxf
        # Python before 3.11.4 (Debian 12's 3.11.2) has no extraction filters.
        archive.extractall(folder, **({'filter': 'data'} if hasattr(tarfile, 'data_filter')
                                      else {}))
    task = 'tasks_1-20_v1-2/en-10k/qa1_single-supporting-fact_{}.txt'
    train, test = task.format('train'), task.format('test')
    _run_without_fixtures(chainer_examples, tmp_path, 'memnn/train_memnn.py', train, test,
                          '--epoch', '1', '--batchsize', '20', '--model', 'model')
    outcome = _run_without_fixtures(chainer_examples, tmp_path, 'memnn/test_memnn.py',
                                    'model', test)
    assert 'Accuracy' in outcome.output


def test_modelzoo_downloads_give_a_caffe_model_and_the_mean_file(run_examples, tmp_path):
    run_examples('modelzoo/download_model.py', 'modelzoo/download_mean_file.py')
    folder = tmp_path / 'modelzoo'
    net = caffe_pb.NetParameter()
    net.ParseFromString((folder / 'bvlc_alexnet.caffemodel').read_bytes())
    assert net.name == 'AlexNet' and not len(net.layer)  # Caffe's V1 layout: net.layers
    names = [layer.name for layer in net.layers]
    assert names[:6] == ['data', 'conv1', 'relu1', 'norm1', 'pool1', 'conv2']
    assert names[-4:] == ['relu7', 'drop7', 'fc8', 'loss']
    fc8 = net.layers[names.index('fc8')]
    assert fc8.type == caffe_pb.V1LayerParameter.INNER_PRODUCT
    assert (fc8.blobs[0].height, fc8.blobs[0].width, len(fc8.blobs[1].data)) == (1000, 32, 1000)
    mean = numpy.load(folder / 'ilsvrc_2012_mean.npy')  # as evaluate_caffe_net.py reads it
    assert mean.shape == (3, 256, 256)
    assert numpy.allclose(mean.mean(axis=(1, 2)), downloads.MEAN_PIXEL_BGR, atol=0.5)
