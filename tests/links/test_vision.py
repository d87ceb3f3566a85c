"""The ImageNet model zoo (L.VGG16Layers ... L.GoogLeNet): Chainer's layer names, forward
up to the layers asked for, extract/predict on prepared images, pretrained weights from NPZ."""

import collections
import functools
import types

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain import links as L
from polychain.dataset import download
from polychain.links.model.vision import googlenet, imagenet, resnet, vgg
from polychain_conformance.chainer_examples.fixtures import caffe_models

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
    assert f"polychain downloads nothing: {cls.__name__}.convert_caffemodel_to_npz(" \
           f"path_caffemodel, '{directory / name}') converts the original Caffe model" in message
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


def conv(name, n_out, n_in, ksize, bias=True):
    """A Caffe convolution: (name, type, blob shapes)."""
    return name, 'Convolution', [(n_out, n_in, ksize, ksize)] + ([(n_out,)] if bias else [])


def linear(name, n_out, n_in):
    return name, 'InnerProduct', [(n_out, n_in), (n_out,)]


def batch_norm(name, scale, channels):
    """A Caffe BatchNorm layer (mean, variance, scale factor) and the Scale layer after it."""
    return [(name, 'BatchNorm', [(channels,), (channels,), (1,)]),
            (scale, 'Scale', [(channels,), (channels,)])]


def vgg_caffe_layers(n_layers):
    """The layers of the VGG team's Caffe model of ``n_layers``."""
    layers, n_in = [], 3
    for block, (count, channels) in enumerate(zip({16: (2, 2, 3, 3, 3), 19: (2, 2, 4, 4, 4)}[
            n_layers], (64, 128, 256, 512, 512)), 1):
        for i in range(1, count + 1):
            layers.append(conv(f'conv{block}_{i}', channels, n_in, 3))
            n_in = channels
    return layers + [linear('fc6', 4096, 25088), linear('fc7', 4096, 4096),
                     linear('fc8', 1000, 4096)]


def resnet_caffe_layers(n_layers):
    """The layers of Kaiming He's ResNet-<n_layers>-model: blocks 4a, 4b, ... or, in a stage of
    more than six, 4a, 4b1, 4b2, ...; branch1 is the projection of each stage's first block."""
    layers = [conv('conv1', 64, 3, 7), *batch_norm('bn_conv1', 'scale_conv1', 64)]
    n_in = 64
    blocks = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}[n_layers]
    for stage, count, mid in zip((2, 3, 4, 5), blocks, (64, 128, 256, 512)):
        for i in range(count):
            block = f'{stage}{"abcdef"[i]}' if count <= 6 else f'{stage}{f"b{i}" if i else "a"}'
            branches = [('2a', mid, n_in, 1), ('2b', mid, mid, 3), ('2c', 4 * mid, mid, 1)]
            projection = [('1', 4 * mid, n_in, 1)] if i == 0 else []
            for branch, n_out, n_in_branch, ksize in branches + projection:
                layers += [conv(f'res{block}_branch{branch}', n_out, n_in_branch, ksize, False),
                           *batch_norm(f'bn{block}_branch{branch}', f'scale{block}_branch{branch}',
                                       n_out)]
            n_in = 4 * mid
    return layers + [linear('fc1000', 1000, 2048)]


def googlenet_caffe_layers():
    """The layers of BVLC's GoogLeNet."""
    layers = [conv('conv1/7x7_s2', 64, 3, 7), conv('conv2/3x3_reduce', 64, 64, 1),
              conv('conv2/3x3', 192, 64, 3)]
    for suffix, (n_in, out1, proj3, out3, proj5, out5, proj_pool) in googlenet._INCEPTIONS:
        name = f'inception_{suffix}'
        layers += [conv(f'{name}/1x1', out1, n_in, 1), conv(f'{name}/3x3_reduce', proj3, n_in, 1),
                   conv(f'{name}/3x3', out3, proj3, 3), conv(f'{name}/5x5_reduce', proj5, n_in, 1),
                   conv(f'{name}/5x5', out5, proj5, 5),
                   conv(f'{name}/pool_proj', proj_pool, n_in, 1)]
    for branch, n_in in (('loss1', 512), ('loss2', 528)):
        layers += [conv(f'{branch}/conv', 128, n_in, 1), linear(f'{branch}/fc', 1024, 2048),
                   linear(f'{branch}/classifier', 1000, 1024)]
    return layers + [linear('loss3/classifier', 1000, 1024)]


#: What Caffe's BatchNorm layers keep: the statistics times this factor, their third blob.
BN_FACTOR = 4.0


def caffe_blobs(layers, random=True):
    """The blobs of ``layers`` as a model should hold them (BatchNorm statistics divided by the
    factor): blob ``k`` (numbered from 1, factors left out) holds ``k`` plus a fraction under
    0.5, random or 0.25 (a read-only view then, which takes no memory)."""
    rng = numpy.random.default_rng(0)
    blobs, number = {}, 0
    for name, kind, shapes in layers:
        blobs[name] = []
        for shape in shapes[:2] if kind == 'BatchNorm' else shapes:
            number += 1
            if random:
                blobs[name].append(number + rng.uniform(0, 0.5, shape).astype(numpy.float32))
            else:
                blobs[name].append(numpy.broadcast_to(numpy.float32(number + 0.25), shape))
    return blobs


def write_caffemodel(path, layers, blobs):
    """Writes ``layers`` with ``blobs`` (see ``caffe_blobs``) as Caffe does."""
    encoded = []
    for name, kind, _ in layers:
        arrays = blobs[name]
        if kind == 'BatchNorm':
            arrays = [arrays[0] * BN_FACTOR, arrays[1] * BN_FACTOR,
                      numpy.array([BN_FACTOR], numpy.float32)]
        encoded.append(caffe_models.layer(name, kind, tuple(arrays)))
    path.write_bytes(caffe_models.net('net', encoded))
    return str(path)


class CaffeStandIn:
    """What convert_caffemodel_to_npz reads of a CaffeFunction: each layer's arrays, as an
    attribute named as the layer."""

    def __init__(self, layers, blobs):
        for name, kind, _ in layers:
            arrays = blobs[name]
            if kind == 'BatchNorm':
                link = types.SimpleNamespace(avg_mean=arrays[0], avg_var=arrays[1])
            elif kind == 'Scale':
                link = types.SimpleNamespace(W=arrays[0], bias=types.SimpleNamespace(b=arrays[1]))
            else:
                link = types.SimpleNamespace(W=arrays[0], b=arrays[1] if len(arrays) > 1 else None)
            setattr(self, name, link)


def assert_each_array_is_one_blob(model, blobs, expected):
    """Every parameter and batch normalization statistic of ``model`` equals one blob, each blob
    is used once, and the arrays ``expected`` names come from the blobs it says."""
    arrays = {name: param.array for name, param in model.namedparams()}
    arrays.update({f'{path}/{name}': getattr(link, name) for path, link in model.namedlinks()
                   if isinstance(link, L.BatchNormalization) for name in ('avg_mean', 'avg_var')})
    numbered = [blob for layer in blobs.values() for blob in layer]
    used = {}
    for name, array in arrays.items():
        used[name] = number = int(array.flat[0])
        assert array.shape == numbered[number - 1].shape, name
        assert (array == numbered[number - 1]).all(), name
    assert sorted(used.values()) == list(range(1, len(numbered) + 1))
    for name, layer, index in expected:
        numpy.testing.assert_array_equal(arrays[f'/{name}'], blobs[layer][index], err_msg=name)


#: Arrays of each model and the Caffe blobs (layer, index) they come from.
SPOT_CHECKS = {
    'GoogLeNet': [('conv1/b', 'conv1/7x7_s2', 1), ('conv2_reduce/W', 'conv2/3x3_reduce', 0),
                  ('inc4e/conv1/W', 'inception_4e/1x1', 0),
                  ('inc4e/proj3/W', 'inception_4e/3x3_reduce', 0),
                  ('inc4e/conv3/b', 'inception_4e/3x3', 1),
                  ('inc4e/proj5/W', 'inception_4e/5x5_reduce', 0),
                  ('inc4e/conv5/W', 'inception_4e/5x5', 0),
                  ('inc4e/projp/b', 'inception_4e/pool_proj', 1),
                  ('loss1_fc1/W', 'loss1/fc', 0), ('loss2_conv/W', 'loss2/conv', 0),
                  ('loss2_fc2/b', 'loss2/classifier', 1), ('loss3_fc/W', 'loss3/classifier', 0)],
    'ResNet50Layers': [('conv1/b', 'conv1', 1), ('bn1/avg_var', 'bn_conv1', 1),
                       ('bn1/gamma', 'scale_conv1', 0), ('bn1/beta', 'scale_conv1', 1),
                       ('res2/a/conv4/W', 'res2a_branch1', 0),
                       ('res4/b1/bn2/beta', 'scale4b_branch2b', 1),
                       ('res4/b5/conv3/W', 'res4f_branch2c', 0), ('fc6/W', 'fc1000', 0)],
    'ResNet101Layers': [('res3/b3/conv1/W', 'res3d_branch2a', 0),
                        ('res4/b1/bn1/avg_mean', 'bn4b1_branch2a', 0),
                        ('res4/b22/conv3/W', 'res4b22_branch2c', 0)],
    'ResNet152Layers': [('res3/b7/conv2/W', 'res3b7_branch2b', 0),
                        ('res4/b35/bn3/beta', 'scale4b35_branch2c', 1),
                        ('res5/b2/conv3/W', 'res5c_branch2c', 0)],
    'VGG19Layers': [('conv5_4/b', 'conv5_4', 1), ('fc6/W', 'fc6', 0)],
}


@pytest.mark.parametrize('cls, layers', [(L.GoogLeNet, googlenet_caffe_layers()),
                                         (L.ResNet50Layers, resnet_caffe_layers(50))])
def test_convert_caffemodel_to_npz_copies_each_caffe_blob(cls, layers, tmp_path):
    blobs = caffe_blobs(layers)
    path = write_caffemodel(tmp_path / 'model.caffemodel', layers, blobs)
    cls.convert_caffemodel_to_npz(path, str(tmp_path / 'model.npz'))
    model = cls(pretrained_model=str(tmp_path / 'model.npz'))
    assert_each_array_is_one_blob(model, blobs, SPOT_CHECKS[cls.__name__])


@pytest.mark.parametrize('cls, layers', [(L.VGG19Layers, vgg_caffe_layers(19)),
                                         (L.ResNet101Layers, resnet_caffe_layers(101)),
                                         (L.ResNet152Layers, resnet_caffe_layers(152))])
def test_larger_models_take_the_caffe_layers_of_their_names(cls, layers, monkeypatch):
    monkeypatch.setattr(vgg, 'Normal', lambda scale: polychain.initializers.Zero())  # quicker
    model = cls(pretrained_model=None)
    blobs = caffe_blobs(layers, random=False)
    imagenet.copy_caffe_layers(CaffeStandIn(layers, blobs), model)
    assert_each_array_is_one_blob(model, blobs, SPOT_CHECKS[cls.__name__])


def test_resnet_converts_the_depth_of_its_class_or_n_layers(tmp_path, monkeypatch):
    layers = resnet_caffe_layers(50)
    stand_in = CaffeStandIn(layers, caffe_blobs(layers, random=False))
    monkeypatch.setattr(imagenet, 'CaffeFunction', lambda path: stand_in)
    for convert in (L.ResNet101Layers.convert_caffemodel_to_npz,
                    functools.partial(resnet.ResNetLayers.convert_caffemodel_to_npz,
                                      n_layers=101)):
        with pytest.raises(AttributeError, match="ResNetLayers.convert_caffemodel_to_npz: the "
                                                 "Caffe model has no layer 'res4b1_branch2a', "
                                                 'from which res4/b1/conv1/W is copied'):
            convert('ResNet-50-model.caffemodel', str(tmp_path / 'x.npz'))
    assert not (tmp_path / 'x.npz').exists()
    with pytest.raises(ValueError, match='50, 101'):
        resnet.ResNetLayers.convert_caffemodel_to_npz('x.caffemodel', 'x.npz', n_layers=34)


def test_convert_caffemodel_to_npz_names_a_missing_or_misshapen_layer(tmp_path):
    layers = googlenet_caffe_layers()
    blobs = caffe_blobs(layers, random=False)
    path = write_caffemodel(tmp_path / 'stem.caffemodel', layers[:1], blobs)
    with pytest.raises(AttributeError, match="GoogLeNet.convert_caffemodel_to_npz: the Caffe "
                                             "model has no layer 'conv2/3x3_reduce', from which "
                                             'conv2_reduce/W is copied'):
        L.GoogLeNet.convert_caffemodel_to_npz(path, str(tmp_path / 'x.npz'))
    assert not (tmp_path / 'x.npz').exists()
    blobs['loss1/fc'][0] = blobs['loss1/fc'][0].T
    with pytest.raises(ValueError, match=r"loss1_fc1/W has the shape \(1024, 2048\), but W of the "
                                         r"Caffe layer 'loss1/fc' has the shape \(2048, 1024\)"):
        imagenet.copy_caffe_layers(CaffeStandIn(layers, blobs), L.GoogLeNet(None))
    blobs = caffe_blobs(layers, random=False)
    blobs['conv1/7x7_s2'].pop()
    with pytest.raises(AttributeError, match="Caffe layer 'conv1/7x7_s2' has no b, from which "
                                             'conv1/b is copied'):
        imagenet.copy_caffe_layers(CaffeStandIn(layers, blobs), L.GoogLeNet(None))
