"""The ImageNet model zoo (L.VGG16Layers ... L.GoogLeNet): Chainer's layer names, forward
up to the layers asked for, extract/predict on prepared images, pretrained weights from NPZ."""

import collections

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import links as L
from polychain.dataset import download
from polychain.links.model.vision import googlenet, imagenet, resnet, vgg

RESNET_LAYERS = ['conv1', 'pool1', 'res2', 'res3', 'res4', 'res5', 'pool5', 'fc6', 'prob']


class TinyLayers(imagenet.ImageNetLayers):
    """Global average pooling, a 3 -> 4 linear layer, softmax; a branch from 'pool'."""

    _branch_inputs = {'side': 'pool'}
    _extract_layers = ('pool',)
    _prepare = staticmethod(vgg.prepare)

    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.fc = L.Linear(3, 4, initialW=numpy.arange(12.0).reshape(4, 3) / 100)
        self.calls = []

    @property
    def functions(self):
        def pool(x):
            self.calls.append('pool')
            return F.mean(x, axis=(2, 3))
        return collections.OrderedDict([
            ('pool', [pool]), ('fc', [self.fc]), ('prob', [F.softmax]),
            ('side', [lambda x: x * 2])])


def images():
    rng = numpy.random.RandomState(0)
    return [rng.uniform(0, 255, (260, 250, 3)).astype(numpy.uint8),
            rng.uniform(0, 255, (240, 270)).astype(numpy.uint8)]


@pytest.mark.parametrize('module', [vgg, resnet, googlenet])
def test_prepare_gives_mean_subtracted_bgr_chw_of_config_dtype(module):
    rgb = numpy.empty((6, 4, 3), numpy.uint8)
    rgb[...] = (10, 20, 30)
    y = module.prepare(rgb, size=None)
    mean = {vgg: (103.939, 116.779, 123.68), resnet: (103.063, 115.903, 123.152),
            googlenet: (104.0, 117.0, 123.0)}[module]
    assert y.shape == (3, 6, 4) and y.dtype == numpy.float32
    numpy.testing.assert_allclose(y[:, 0, 0], numpy.array([30, 20, 10]) - mean, rtol=1e-6)
    assert module.prepare(rgb.transpose(2, 0, 1)).shape == (3, 224, 224)
    assert module.prepare(rgb[:, :, 0]).shape == (3, 224, 224)
    assert module.prepare(rgb[None, :, :, 0], size=(5, 7)).shape == (3, 7, 5)
    with polychain.using_config('dtype', numpy.float16):
        assert module.prepare(rgb).dtype == numpy.float16


def test_ten_crops_are_corners_centre_and_their_mirrors():
    x = numpy.arange(2 * 1 * 4 * 5, dtype=numpy.float32).reshape(2, 1, 4, 5)
    crops = imagenet.ten_crops(x, (2, 3))
    assert crops.shape == (20, 1, 2, 3)
    expected = [x[1, :, :2, :3], x[1, :, :2, 2:], x[1, :, 2:, :3], x[1, :, 2:, 2:],
                x[1, :, 1:3, 1:4]]
    for i, crop in enumerate(expected):
        numpy.testing.assert_array_equal(crops[10 + i], crop)
        numpy.testing.assert_array_equal(crops[15 + i], crop[..., ::-1])


def test_forward_computes_the_layers_asked_for_and_stops_after_the_last(device):
    model = TinyLayers()
    model.to_device(device)
    x = device.send(numpy.ones((2, 3, 4, 4), numpy.float32))
    out = model(x, layers=['pool', 'side'])
    assert sorted(out) == ['pool', 'side']
    polychain.testing.assert_allclose(out['side'].array, numpy.full((2, 3), 2.0))
    model.calls.clear()
    assert list(model(x)) == ['prob'] and model(x)['prob'].shape == (2, 4)
    with pytest.raises(ValueError, match='unknown layers'):
        model(x, layers=['fc9'])
    with pytest.raises(ValueError, match='using_config'):
        model(x, test=True)


def test_extract_and_predict_prepare_the_images(device):
    model = TinyLayers()
    model.to_device(device)
    features = model.extract(images(), size=(8, 6))['pool']
    assert features.shape == (2, 3) and features.device == device
    prepared = numpy.stack([vgg.prepare(image, size=(8, 6)) for image in images()])
    polychain.testing.assert_allclose(features.array, prepared.mean(axis=(2, 3)), rtol=1e-5)
    with pytest.raises(ValueError, match='using_config'):
        model.extract(images(), volatile='on')
    centre = model.predict(images(), oversample=False)
    assert centre.shape == (2, 4) and centre.creator is None
    batch = numpy.stack([vgg.prepare(image, size=(256, 256)) for image in images()])
    crops = imagenet.ten_crops(batch, (224, 224))
    with polychain.no_backprop_mode():
        expected = polychain.backend.CpuDevice().send(
            model(device.send(crops))['prob'].array).reshape(2, 10, 4).mean(axis=1)
    polychain.testing.assert_allclose(model.predict(images()).array, expected, rtol=1e-5)


def test_resnet_has_chainer_layers_and_bottlenecks():
    model = L.ResNet50Layers(pretrained_model=None, downsample_fb=True)
    assert model.available_layers == RESNET_LAYERS
    assert [len(getattr(model, f'res{i}')._forward) for i in range(2, 6)] == [3, 4, 6, 3]
    assert model.res3.a.conv1.stride == (1, 1) and model.res3.a.conv2.stride == (2, 2)
    x = numpy.random.RandomState(1).uniform(-1, 1, (1, 3, 64, 48)).astype(numpy.float32)
    with polychain.using_config('train', False):
        out = model(x, layers=['res3', 'pool5', 'prob'])
    assert out['res3'].shape == (1, 512, 8, 6) and out['pool5'].shape == (1, 2048)
    polychain.testing.assert_allclose(out['prob'].array.sum(), 1.0, rtol=1e-5)
    copied = model.copy()
    assert copied.conv1 is copied.functions['conv1'][0]
    assert [len(getattr(L.ResNet101Layers(None), f'res{i}')._forward) for i in (3, 4)] == [4, 23]
    with pytest.raises(ValueError, match='50, 101'):
        resnet.ResNetLayers(None, 34)


def test_googlenet_branches_start_from_inception_4a_and_4d():
    model = L.GoogLeNet(pretrained_model=None)
    assert len(model.available_layers) == 21 and model.available_layers[-2:] == [
        'loss1_fc2', 'loss2_fc2']
    x = numpy.random.RandomState(2).uniform(-1, 1, (1, 3, 224, 224)).astype(numpy.float32)
    with polychain.using_config('train', False):
        out = model(x, layers=['inception_4a', 'pool5', 'loss1_fc2'])
    assert out['pool5'].shape == (1, 1024, 1, 1) and out['loss1_fc2'].shape == (1, 1000)
    with polychain.using_config('train', False):
        expected = model.loss1_fc2(F.relu(model.loss1_fc1(F.relu(model.loss1_conv(
            F.average_pooling_2d(out['inception_4a'], 5, stride=3))))))
    polychain.testing.assert_allclose(out['loss1_fc2'].array, expected.array)


def test_vgg_layers_and_sizes():
    with pytest.raises(ValueError, match='16 or 19'):
        vgg.VGGLayers(None, 11)
    model = L.VGG16Layers(pretrained_model=None)
    assert model.available_layers[:6] == ['conv1_1', 'conv1_2', 'pool1', 'conv2_1', 'conv2_2',
                                          'pool2']
    assert len(model.available_layers) == 22 and model.available_layers[-4:] == [
        'fc6', 'fc7', 'fc8', 'prob']
    out = model(numpy.zeros((1, 3, 20, 18), numpy.float32), layers=['pool1', 'conv2_2'])
    assert out['pool1'].shape == (1, 64, 10, 9) and out['conv2_2'].shape == (1, 128, 10, 9)


def test_pretrained_weights_load_from_a_path_or_from_the_auto_location(tmp_path, monkeypatch):
    model = L.GoogLeNet(pretrained_model=None)
    path = tmp_path / 'weights.npz'
    polychain.serializers.save_npz(str(path), model)
    loaded = L.GoogLeNet(pretrained_model=str(path))
    numpy.testing.assert_array_equal(loaded.inc4c.conv3.W.array, model.inc4c.conv3.W.array)
    numpy.testing.assert_array_equal(loaded.loss2_fc1.b.array, model.loss2_fc1.b.array)
    monkeypatch.setattr(download, 'get_dataset_root', lambda: str(tmp_path))
    with pytest.raises(FileNotFoundError, match='polychain downloads nothing.*pretrained_model'):
        L.GoogLeNet()
    target = tmp_path / 'pfnet' / 'chainer' / 'models'
    target.mkdir(parents=True)
    path.rename(target / 'bvlc_googlenet.npz')
    auto = L.GoogLeNet()
    numpy.testing.assert_array_equal(auto.conv1.W.array, model.conv1.W.array)


#: Each model, the file of Chainer's model cache it reads, and the first key of that NPZ.
AUTO_FILES = [(L.VGG16Layers, 'VGG_ILSVRC_16_layers.npz', 'conv1_1/W'),
              (L.VGG19Layers, 'VGG_ILSVRC_19_layers.npz', 'conv1_1/W'),
              (L.ResNet50Layers, 'ResNet-50-model.npz', 'bn1/beta'),
              (L.ResNet101Layers, 'ResNet-101-model.npz', 'bn1/beta'),
              (L.ResNet152Layers, 'ResNet-152-model.npz', 'bn1/beta'),
              (L.GoogLeNet, 'bvlc_googlenet.npz', 'conv1/W')]


@pytest.fixture
def model_cache(tmp_path, monkeypatch):
    """The model cache of Chainer under a temporary dataset root; NPZ loads are recorded."""
    monkeypatch.setattr(download, 'get_dataset_root', lambda: str(tmp_path))
    loaded = []
    monkeypatch.setattr(imagenet, 'load_npz', lambda path, model: loaded.append(path))
    return tmp_path / 'pfnet' / 'chainer' / 'models', loaded


@pytest.mark.parametrize('cls, name, first_key', AUTO_FILES)
def test_auto_reads_chainers_converted_file_and_names_it_when_missing(cls, name, first_key,
                                                                      model_cache):
    directory, loaded = model_cache
    with pytest.raises(FileNotFoundError) as error:
        cls()
    message = str(error.value)
    assert f"{cls.__name__}(pretrained_model='auto') reads the converted weights " \
           f"{directory / name}, which do not exist" in message
    assert 'polychain downloads nothing' in message
    assert f'{cls.__name__}.convert_caffemodel_to_npz' in message
    assert f"one array per parameter, named by its path in the model ('{first_key}', " in message
    assert not directory.exists()  # nothing is created
    directory.mkdir(parents=True)
    (directory / name).touch()
    cls()
    assert loaded == [str(directory / name)]


def test_resnet_given_a_caffemodel_name_reads_the_converted_file(model_cache):
    # Chainer: ResNet50Layers('auto') is ResNet50Layers('ResNet-50-model.caffemodel'), and any
    # .caffemodel name means the converted ResNet-<n>-model.npz of the model cache.
    directory, loaded = model_cache
    directory.mkdir(parents=True)
    (directory / 'ResNet-101-model.npz').touch()
    L.ResNet101Layers('ResNet-101-model.caffemodel')
    L.ResNet101Layers('mine.caffemodel')
    L.ResNet101Layers(str(directory / 'ResNet-101-model.npz'))
    assert loaded == [str(directory / 'ResNet-101-model.npz')] * 3
    with pytest.raises(FileNotFoundError, match="'x.caffemodel'.*ResNet-50-model.npz"):
        L.ResNet50Layers('x.caffemodel')


@pytest.mark.parametrize('cls', [L.VGG16Layers, vgg.VGGLayers, L.ResNet50Layers, L.GoogLeNet])
def test_convert_caffemodel_to_npz_says_caffe_models_cannot_be_read(cls):
    with pytest.raises(RuntimeError, match=f'{cls.__name__}.convert_caffemodel_to_npz: polychain '
                                           'has no Caffe model reader .*x.caffemodel cannot be '
                                           'converted here.*save_npz'):
        cls.convert_caffemodel_to_npz('x.caffemodel', 'x.npz')
    if issubclass(cls, resnet.ResNetLayers):
        with pytest.raises(RuntimeError, match='no Caffe model reader'):
            cls.convert_caffemodel_to_npz('x.caffemodel', 'x.npz', n_layers=101)
