"""DeformableConvolution2D: its two layers, their initializers and lazy creation."""

from __future__ import annotations

import numpy

import polychain.functions as F
import polychain.links as L
from polychain.backend import to_host
from polychain.links.connection.deformable_convolution_2d import DeformableConvolution2DSampler


def test_layers_and_default_initializers():
    link = L.DeformableConvolution2D(3, 4, (2, 3), stride=2, pad=1)
    assert link.offset_conv.W.shape == (12, 3, 2, 3)
    assert link.deform_conv.W.shape == (4, 3, 2, 3)
    assert not link.deform_conv.W.array.any() and not link.deform_conv.b.array.any()
    assert link.offset_conv.W.array.any()
    assert sorted(name for name, _ in link.namedparams()) == [
        '/deform_conv/W', '/deform_conv/b', '/offset_conv/W', '/offset_conv/b']


def test_nobias_and_lazy_creation(device):
    link = L.DeformableConvolution2D(None, 2, 3, pad=1, offset_nobias=True, deform_nobias=True,
                                     deform_initialW=numpy.ones((2, 3, 3, 3)))
    assert link.offset_conv.b is None and link.deform_conv.b is None
    link.to_device(device)
    x = device.send(numpy.random.default_rng(0).uniform(size=(2, 3, 5, 4)).astype("f"))
    link.offset_conv.W.array = None  # the offset layer is lazy too
    y = link(x)
    assert y.shape == (2, 2, 5, 4)
    assert link.offset_conv.W.shape == (18, 3, 3, 3)


def test_forward_is_the_sampler_with_the_predicted_offsets(device):
    link = L.DeformableConvolution2D(2, 3, 2, deform_initialW=numpy.full((3, 2, 2, 2), 0.5))
    link.to_device(device)
    x = device.send(numpy.random.default_rng(1).uniform(size=(1, 2, 4, 4)).astype("f"))
    offset = link.offset_conv(x)
    expected = F.deformable_convolution_2d_sampler(x, offset, link.deform_conv.W,
                                                   link.deform_conv.b)
    numpy.testing.assert_array_equal(to_host(link(x).array), to_host(expected.array))


def test_sampler_link_is_a_filter_and_bias():
    link = DeformableConvolution2DSampler(None, 3, 2, nobias=False, initial_bias=1.0)
    y = link(numpy.ones((1, 2, 3, 3), 'f'), numpy.zeros((1, 8, 2, 2), 'f'))
    assert link.W.shape == (3, 2, 2, 2)
    numpy.testing.assert_array_equal(to_host(y.array), numpy.ones((1, 3, 2, 2)))
