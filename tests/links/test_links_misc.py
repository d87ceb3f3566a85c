"""EmbedID, Bilinear, Bias, Scale, Highway, LocalConvolution2D, DepthwiseConvolution2D,
Maxout, PReLU and Swish: Chainer's parameters, defaults and outputs."""

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import initializers
from polychain.backend import to_host


def _host(value):
    return numpy.asarray(to_host(value.array if hasattr(value, 'array') else value))


def _input(device, shape, seed=0, dtype='float32'):
    return device.send(numpy.random.default_rng(seed).uniform(-1, 1, shape).astype(dtype))


def _param_shapes(link):
    return {name: tuple(p.shape) for name, p in link.namedparams()}


# -- EmbedID -------------------------------------------------------------------------------
def test_embed_id_looks_up_rows_of_w(device):
    link = L.EmbedID(5, 3, ignore_label=-1).to_device(device)
    y = link(device.send(numpy.array([4, -1, 0], dtype='int32')))
    w = _host(link.W)
    numpy.testing.assert_array_equal(_host(y), numpy.stack([w[4], numpy.zeros(3), w[0]]))
    assert y.device == device


def test_embed_id_default_initializer_is_unit_normal():
    numpy.random.seed(0)
    w = _host(L.EmbedID(2000, 50).W)
    assert w.shape == (2000, 50)
    assert abs(w.std() - 1.0) < 0.02


# -- Bilinear ------------------------------------------------------------------------------
def test_bilinear_has_chainer_parameters_and_computes_f_bilinear(device):
    link = L.Bilinear(3, 2, 4).to_device(device)
    assert _param_shapes(link) == {'/W': (3, 2, 4), '/V1': (3, 4), '/V2': (2, 4), '/b': (4,)}
    numpy.testing.assert_array_equal(_host(link.b), numpy.zeros(4))
    e1, e2 = _input(device, (5, 3)), _input(device, (5, 2), seed=1)
    expected = F.bilinear(e1, e2, link.W, link.V1, link.V2, link.b)
    numpy.testing.assert_allclose(_host(link(e1, e2)), _host(expected))


def test_bilinear_nobias_and_initial_bias_tuple():
    assert _param_shapes(L.Bilinear(3, 2, 4, nobias=True)) == {'/W': (3, 2, 4)}
    link = L.Bilinear(2, 2, 1, initial_bias=(1.0, 2.0, 3.0))
    assert [float(_host(p).ravel()[0]) for p in (link.V1, link.V2, link.b)] == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match='initial_bias'):
        L.Bilinear(2, 2, 1, initial_bias=[1.0, 2.0, 3.0])


# -- Bias and Scale ------------------------------------------------------------------------
def test_bias_adds_a_learned_zero_initialised_bias(device):
    link = L.Bias(axis=1, shape=(3,)).to_device(device)
    numpy.testing.assert_array_equal(_host(link.b), numpy.zeros(3))
    x = _input(device, (2, 3, 4))
    numpy.testing.assert_array_equal(_host(link(x)), _host(x))


def test_bias_without_shape_takes_the_bias_as_second_input(device):
    link = L.Bias(axis=2)
    assert list(link.params()) == []
    x = _input(device, (2, 3, 4))
    b = device.send(numpy.arange(4, dtype='float32'))
    numpy.testing.assert_allclose(_host(link(x, b)), _host(x) + numpy.arange(4))
    with pytest.raises(ValueError, match='Bias: expected the inputs x and b'):
        link(x)


def test_scale_with_bias_term_has_a_bias_child(device):
    link = L.Scale(axis=1, W_shape=(3,), bias_term=True).to_device(device)
    assert _param_shapes(link) == {'/W': (3,), '/bias/b': (3,)}
    numpy.testing.assert_array_equal(_host(link.W), numpy.ones(3))
    x = _input(device, (2, 3))
    numpy.testing.assert_array_equal(_host(link(x)), _host(x))


def test_scale_without_w_takes_the_scale_as_second_input(device):
    link = L.Scale(axis=1)
    x = _input(device, (2, 3))
    w = device.send(numpy.array([1.0, 2.0, 3.0], dtype='float32'))
    numpy.testing.assert_allclose(_host(link(x, w)), _host(x) * [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match='bias_shape'):
        L.Scale(bias_term=True)


# -- Highway -------------------------------------------------------------------------------
def test_highway_mixes_plain_path_and_carry(device):
    link = L.Highway(3).to_device(device)
    numpy.testing.assert_array_equal(_host(link.transform.b), numpy.full(3, -1.0))
    x = _input(device, (4, 3))
    gate = F.sigmoid(link.transform(x))
    expected = F.relu(link.plain(x)) * gate + (1 - gate) * x
    numpy.testing.assert_allclose(_host(link(x)), _host(expected), rtol=1e-6)


def test_highway_nobias_drops_both_biases():
    link = L.Highway(3, nobias=True)
    assert set(_param_shapes(link)) == {'/plain/W', '/transform/W'}


# -- LocalConvolution2D and DepthwiseConvolution2D -----------------------------------------
def test_local_convolution_2d_shapes_follow_the_input_size(device):
    link = L.LocalConvolution2D(2, 3, in_size=(5, 6), ksize=(2, 3), stride=(1, 2))
    assert _param_shapes(link) == {'/W': (3, 4, 2, 2, 2, 3), '/b': (3, 4, 2)}
    link.to_device(device)
    assert link(_input(device, (1, 2, 5, 6))).shape == (1, 3, 4, 2)


def test_local_convolution_2d_created_on_first_call_on_the_links_device(device):
    link = L.LocalConvolution2D(None, 3, ksize=3).to_device(device)
    assert not link.W.is_initialized
    y = link(_input(device, (2, 2, 4, 5)))
    assert y.shape == (2, 3, 2, 3)
    assert link.W.shape == (3, 2, 3, 2, 3, 3) and link.W.device == device
    with pytest.raises(ValueError, match='ksize'):
        L.LocalConvolution2D(2, 3)


def test_depthwise_convolution_2d_parameters(device):
    link = L.DepthwiseConvolution2D(3, 2, 3, pad=1)
    assert _param_shapes(link) == {'/W': (2, 3, 3, 3), '/b': (6,)}
    lazy = L.DepthwiseConvolution2D(None, 2, 3, nobias=True).to_device(device)
    y = lazy(_input(device, (1, 4, 5, 5)))
    assert y.shape == (1, 8, 3, 3)
    assert _param_shapes(lazy) == {'/W': (2, 4, 3, 3)} and lazy.W.device == device


# -- Maxout, PReLU, Swish ------------------------------------------------------------------
def test_maxout_takes_weights_in_the_unfused_shape(device):
    weights = numpy.arange(2 * 3 * 4, dtype='float32').reshape(2, 3, 4) / 10
    bias = numpy.zeros((2, 3), dtype='float32')
    link = L.Maxout(4, 2, 3, initialW=weights, initial_bias=bias).to_device(device)
    assert _param_shapes(link) == {'/linear/W': (6, 4), '/linear/b': (6,)}
    x = numpy.abs(_host(_input(device, (5, 4))))
    expected = numpy.einsum('ni,opi->nop', x, weights).max(axis=2)
    numpy.testing.assert_allclose(_host(link(device.send(x))), expected, rtol=1e-5)


def test_maxout_plain_callable_initializer_fills_the_unfused_shape():
    seen = []

    def initializer(array):
        seen.append(array.shape)
        array[...] = 1.0

    link = L.Maxout(4, 2, 3, initialW=initializer, initial_bias=None)
    assert seen == [(2, 3, 4)]
    assert _param_shapes(link) == {'/linear/W': (6, 4)}


def test_prelu_default_slope_is_a_quarter(device):
    link = L.PReLU((2,)).to_device(device)
    numpy.testing.assert_array_equal(_host(link.W), [0.25, 0.25])
    x = device.send(numpy.array([[-4.0, 2.0]], dtype='float32'))
    numpy.testing.assert_array_equal(_host(link(x)), [[-1.0, 2.0]])


def test_swish_creates_beta_from_the_first_input(device):
    link = L.Swish(None).to_device(device)
    x = _input(device, (2, 3, 4))
    y = link(x)
    assert link.beta.shape == (3, 4) and link.beta.device == device
    numpy.testing.assert_array_equal(_host(link.beta), numpy.ones((3, 4)))
    numpy.testing.assert_allclose(_host(y), _host(x) / (1 + numpy.exp(-_host(x))), rtol=1e-6)


def test_links_in_this_module_train_one_step(device):
    model = polychain.Sequential(L.Bilinear(3, 3, 4, initial_bias=initializers.Zero()),
                                 L.PReLU(), L.Maxout(4, 2, 2))
    model.to_device(device)
    bilinear_layer, rest = model[0], polychain.Sequential(*model[1:])
    e = _input(device, (5, 3))
    loss = F.sum(rest(bilinear_layer(e, e)) ** 2)
    loss.backward()
    assert all(p.grad is not None for p in model.params())


def test_from_params_copies_values_onto_the_device_of_w(device):
    conv = L.Convolution2D(3, 4, 2).to_device(device)
    made = L.Convolution2D.from_params(conv.W, conv.b, stride=2)
    assert made.stride == (2, 2) and made.device is device
    numpy.testing.assert_array_equal(_host(made.W), _host(conv.W))
    nd = L.ConvolutionND.from_params(L.ConvolutionND(1, 2, 4, 3, groups=2).W, groups=2)
    assert nd.ndim == 1 and nd.in_channels == 2 and nd.b is not None
    linear = L.Linear(3, 2)
    assert L.Linear.from_params(linear.W, nobias=True).b is None
    with pytest.raises(ValueError):
        L.Linear.from_params(linear.W, numpy.zeros(3, dtype=numpy.float32))
    assert L.EmbedID.from_params(L.EmbedID(5, 2).W, ignore_label=-1).ignore_label == -1


def test_simplified_dropconnect_link_infers_its_input_size():
    link = L.SimplifiedDropconnect(None, 2, ratio=0.25)
    x = numpy.ones((4, 3), dtype=numpy.float32)
    mask = numpy.ones((4, 2, 3), dtype=numpy.float32)
    y = link(x, mask=mask)
    assert link.W.shape == (2, 3)
    numpy.testing.assert_allclose(_host(y), x @ _host(link.W).T / 0.75 + _host(link.b),
                                  rtol=1e-5)


def test_wrong_operand_counts_and_initial_shapes_raise_value_errors():
    with pytest.raises(ValueError):
        L.Bias(1, (2,))(numpy.ones((3, 2), dtype=numpy.float32),
                        numpy.ones(2, dtype=numpy.float32))
    with pytest.raises(AssertionError):
        L.Scale(1, None)(numpy.ones((3, 2), dtype=numpy.float32))
    with pytest.raises(ValueError):
        L.Bilinear(2, 3, 4, initialW=numpy.ones((3, 3, 4), dtype=numpy.float32))


def test_classifier_label_key_errors_use_chainers_wording():
    with pytest.raises(TypeError, match='label_key must be int or str'):
        L.Classifier(L.Linear(2, 3), label_key=None)
    x = numpy.ones((1, 2), dtype=numpy.float32)
    with pytest.raises(ValueError, match='Label key'):
        L.Classifier(L.Linear(2, 3), label_key=2)(x)
    with pytest.raises(ValueError, match='Label key'):
        L.Classifier(L.Linear(2, 3), label_key='t')(x)
