"""Chainer's pix2pix and WaveNet examples: their generated data sets, read by the examples' own
loaders, and WaveNet's training run."""

import pytest

from polychain_conformance.chainer_examples import fixtures

FACADE_CHECK = """
from facade_dataset import FacadeDataset
train = FacadeDataset('facade/base', data_range=(1, 3))
test = FacadeDataset('facade/base', data_range=(377, 379))
label, image = train.get_example(1)
covered = label.sum(axis=0)
print(len(train), len(test), label.shape, label.dtype, image.shape, image.dtype,
      covered.min(), covered.max(), -1 <= image.min(), image.max() < 1)
"""

#: One update of the example's own updater and networks (an epoch is 299 such updates).
FACADE_UPDATE = """
import chainer
from facade_dataset import FacadeDataset
from net import Decoder, Discriminator, Encoder
from updater import FacadeUpdater
models = enc, dec, dis = Encoder(in_ch=12), Decoder(out_ch=3), Discriminator(in_ch=12, out_ch=3)
optimizers = {}
for name, model in zip(('enc', 'dec', 'dis'), models):
    optimizers[name] = chainer.optimizers.Adam(alpha=0.0002, beta1=0.5)
    optimizers[name].setup(model)
data = FacadeDataset('facade/base', data_range=(1, 2))
iterator = chainer.iterators.SerialIterator(data, 1)
updater = FacadeUpdater(models=models, iterator={'main': iterator, 'test': iterator},
                        optimizer=optimizers, device=chainer.get_device('@numpy'))
before = dis.c0_0.c.W.array.copy()
reporter = chainer.Reporter()
for name, model in zip(('enc', 'dec', 'dis'), models):
    reporter.add_observer(name, model)
observation = {}
with reporter.scope(observation):
    updater.update()
losses = [float(observation[name + '/loss'].array) for name in ('enc', 'dec', 'dis')]
print(updater.iteration, all(loss == loss and loss > 0 for loss in losses),
      bool((dis.c0_0.c.W.array != before).any()))
"""

VCTK_CHECK = """
from utils import Preprocess
preprocess = Preprocess(sr=16000, n_fft=1024, hop_length=256, n_mels=128, top_db=20,
                        length=7680, quantize=256)
for name in ('p225_001.wav', 'p225_002.wav'):  # longer, then shorter, than 7680 samples
    one_hot, spectrogram, quantized = preprocess('VCTK-Corpus/wav48/p225/' + name)
    print(one_hot.shape, spectrogram.shape, quantized.shape, quantized.min() >= 0,
          quantized.max() < 256)
"""


def test_facade_fixture_is_read_by_pix2pix_dataset(run_in_example, tmp_path):
    pytest.importorskip('PIL')
    fixtures.prepare(('facade',), tmp_path / 'datasets', tmp_path)
    assert len(list((tmp_path / 'facade' / 'base').glob('cmp_b*.jpg'))) == 378
    output = run_in_example('pix2pix', FACADE_CHECK)
    assert output.splitlines()[-1] == ('2 2 (12, 256, 256) int32 (3, 256, 256) float32 1 1 '
                                       'True True')


def test_pix2pix_updater_trains_its_networks_one_step(run_in_example, tmp_path):
    pytest.importorskip('PIL')
    fixtures.prepare(('facade',), tmp_path / 'datasets', tmp_path)
    output = run_in_example('pix2pix', FACADE_UPDATE)
    assert output.splitlines()[-1] == '1 True True'


def test_vctk_fixture_is_read_by_wavenet_preprocess(run_in_example, tmp_path):
    pytest.importorskip('librosa')
    fixtures.prepare(('vctk',), tmp_path / 'datasets', tmp_path)
    output = run_in_example('wavenet', VCTK_CHECK)
    assert output.splitlines()[-2:] == ['(256, 7680) (128, 30) (7680,) True True'] * 2


def test_wavenet_train(run_examples, tmp_path):
    # Its training code is not under a __main__ guard: its loader's workers must be forked.
    run_examples('wavenet/train.py')
    assert (tmp_path / 'wavenet' / 'result' / 'snapshot_iter_5').is_file()
