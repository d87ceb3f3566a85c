"""Normalization links: running statistics replaced each step on every device, modes, laziness."""

from __future__ import annotations

import functools

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import optimizers
from polychain.backend import to_host


def _host(value):
    return numpy.asarray(to_host(value.array if hasattr(value, 'array') else value))


def _batches(count, shape, seed=0):
    rng = numpy.random.default_rng(seed)
    return [rng.normal(i, 1 + i, shape).astype('float32') for i in range(count)]


def _decayed_statistics(batches, decay, axes):
    mean, var = 0.0, 1.0
    for x in batches:
        x = x.astype('float64')
        count = x.size // x.mean(axis=axes).size
        mean = decay * mean + (1 - decay) * x.mean(axis=axes)
        var = decay * var + (1 - decay) * x.var(axis=axes) * count / (count - 1)
    return mean, var


@pytest.mark.parametrize('link_class', [L.BatchNormalization, L.BatchRenormalization])
def test_running_statistics_after_training_steps_follow_the_formula(device, link_class):
    link = link_class(3, decay=0.8).to_device(device)
    batches = _batches(4, (5, 3, 2))
    seen = []
    for x in batches:
        link(device.send(x))
        seen.append(link.avg_mean)
    mean, var = _decayed_statistics(batches, 0.8, (0, 2))
    numpy.testing.assert_allclose(_host(link.avg_mean), mean, rtol=1e-5, atol=1e-5)
    numpy.testing.assert_allclose(_host(link.avg_var), var, rtol=1e-5)
    # Each step writes into the arrays where they are mutable (as Chainer does) and
    # replaces them where they are not (JAX); they stay on the link's device and dtype.
    assert len({id(a) for a in seen}) == (len(seen) if str(device).startswith('@jax') else 1)
    assert polychain.backend.get_device_from_array(link.avg_mean) == device
    assert _host(link.avg_var).dtype == numpy.float32


def test_finetuning_averages_cumulatively_since_start(device):
    link = L.BatchNormalization(3).to_device(device)
    link(device.send(_batches(1, (4, 3), seed=5)[0]))
    link.start_finetuning()
    batches = _batches(3, (4, 3))
    for x in batches:
        link(device.send(x), finetune=True)
    assert link.N == 3
    numpy.testing.assert_allclose(_host(link.avg_mean),
                                  numpy.mean([x.mean(0) for x in batches], 0), rtol=1e-5)
    numpy.testing.assert_allclose(_host(link.avg_var),
                                  numpy.mean([x.var(0, ddof=1) for x in batches], 0),
                                  rtol=1e-5)


def test_outside_training_it_normalizes_by_the_running_statistics(device):
    link = L.BatchNormalization(2, initial_avg_mean=numpy.array([1.0, -2.0], 'float32'),
                                initial_avg_var=numpy.array([4.0, 0.25], 'float32'),
                                eps=0.0).to_device(device)
    x = numpy.array([[3.0, -2.0], [1.0, -1.5]], 'float32')
    with polychain.using_config('train', False):
        y = link(device.send(x))
    numpy.testing.assert_allclose(_host(y), [[1.0, 0.0], [0.0, 1.0]], rtol=1e-6)
    numpy.testing.assert_array_equal(_host(link.avg_mean), [1.0, -2.0])


def test_size_or_axis_is_required():
    with pytest.raises(RuntimeError, match='size or axis is required'):
        L.BatchNormalization()


def test_lazy_link_takes_its_channel_shape_from_the_input(device):
    link = L.BatchNormalization(axis=(0, 2, 3)).to_device(device)
    assert link.avg_mean is None
    link(device.send(numpy.ones((2, 4, 3, 3), 'float32')))
    assert tuple(link.avg_mean.shape) == (4,) and link.gamma.shape == (4,)
    assert link.gamma.device == device
    assert polychain.backend.get_device_from_array(link.avg_var) == device


def test_links_without_gamma_or_beta_have_no_such_parameters():
    link = L.BatchNormalization(3, use_gamma=False, use_beta=False)
    assert link.gamma is None and link.beta is None
    assert list(link.params()) == []
    y = link(numpy.arange(6, dtype='float32').reshape(2, 3))
    numpy.testing.assert_allclose(_host(y), [[-1.0] * 3, [1.0] * 3], rtol=1e-4)


def test_dtype_sets_parameters_and_statistics():
    link = L.BatchNormalization(3, dtype='float64')
    assert link.gamma.dtype == numpy.float64 and link.avg_mean.dtype == numpy.float64


def test_persistent_values_are_registered_and_copied():
    link = L.BatchNormalization(3)
    link(numpy.ones((2, 3), 'float32') * numpy.arange(2, dtype='float32')[:, None])
    copied = link.copy(mode='copy')
    numpy.testing.assert_array_equal(_host(copied.avg_mean), _host(link.avg_mean))
    assert {'N', 'avg_mean', 'avg_var'} <= set(link._persistent)


def test_training_a_model_with_batch_normalization_updates_everything(device):
    numpy.random.seed(0)
    model = polychain.Sequential(L.Linear(4, 3), L.BatchNormalization(3)).to_device(device)
    optimizer = optimizers.SGD(lr=0.1).setup(model)
    x = device.send(numpy.random.default_rng(1).normal(size=(8, 4)).astype('float32'))
    gamma_before = _host(model[1].gamma).copy()
    for _ in range(2):
        model.cleargrads()
        loss = F.sum(F.square(model(x) - 1.0))
        loss.backward()
        optimizer.update()
    assert not numpy.array_equal(_host(model[1].gamma), gamma_before)
    assert not numpy.array_equal(_host(model[1].avg_mean), numpy.zeros(3))


def test_group_normalization_infers_channels_and_checks_groups(device):
    link = L.GroupNormalization(2).to_device(device)
    y = link(device.send(numpy.random.default_rng(0).normal(size=(2, 4, 3)).astype('float32')))
    assert link.gamma.shape == (4,) and y.shape == (2, 4, 3)
    with pytest.raises(ValueError, match='groups to divide the 3 channels'):
        L.GroupNormalization(2, 3)(numpy.ones((2, 3, 2), 'float32'))


def test_layer_normalization_infers_units_and_defaults_eps():
    link = L.LayerNormalization()
    assert link.eps == 1e-6
    y = link(numpy.array([[1.0, 3.0]], 'float32'))
    assert link.gamma.shape == (2,)
    numpy.testing.assert_allclose(_host(y), [[-1.0, 1.0]], rtol=1e-5)


def test_batch_normalization_arguments_and_lazy_loading():
    link = L.BatchNormalization(3)
    x = numpy.ones((2, 3), dtype=numpy.float32)
    with pytest.raises(ValueError, match='test argument'):
        link(x, test=True)
    with pytest.raises(TypeError):
        link(x, True)
    with pytest.raises(TypeError):
        link(x, unknown=1)
    trained = L.BatchNormalization(axis=0)
    trained(numpy.random.rand(4, 3).astype(numpy.float32))
    saved = {}
    trained.serialize(polychain.serializers.DictionarySerializer(saved))
    fresh = L.BatchNormalization(axis=0)
    fresh.serialize(polychain.serializers.NpzDeserializer(saved))
    numpy.testing.assert_array_equal(fresh.avg_mean, trained.avg_mean)


def test_normalization_parameters_stay_float32_under_mixed16():
    with polychain.using_config('dtype', polychain.mixed16):
        group = L.GroupNormalization(1)
        batch = L.BatchNormalization(3)
    group._initialize_params(3)
    assert group.gamma.dtype == numpy.float32 and batch.avg_var.dtype == numpy.float32
    y = L.LayerNormalization()(numpy.ones((0, 3), dtype=numpy.float32))
    assert y.shape == (0, 3)


def test_batch_normalization_size_must_be_an_int_or_a_tuple():
    with pytest.raises(TypeError):
        L.BatchNormalization({})
    assert L.BatchNormalization((2, 3)).avg_mean.shape == (2, 3)


@pytest.mark.parametrize('make_link', [
    lambda: L.BatchNormalization(3),
    lambda: L.BatchRenormalization(3, rmax=2.0, dmax=1.0),
], ids=['bn', 'brn'])
@pytest.mark.parametrize('finetune', [False, True])
def test_under_forget_the_statistics_are_updated_once_and_gradients_match(device, make_link,
                                                                          finetune):
    """F.forget runs the link twice (forward, then again for backward): the second run
    must neither update the running statistics again nor see the updated ones."""
    rng = numpy.random.default_rng(0)
    x = rng.uniform(-1, 1, (4, 3)).astype('float32')
    gy = device.send(rng.uniform(-1, 1, (4, 3)).astype('float32'))
    results = []
    for forget in (False, True):
        link = make_link().to_device(device)
        xv = polychain.Variable(device.send(x))
        call = functools.partial(link, finetune=finetune)
        y = F.forget(call, xv) if forget else call(xv)
        y.grad = gy
        y.backward()
        results.append((to_host(xv.grad), to_host(link.avg_mean), to_host(link.avg_var), link.N))
    (gx1, mean1, var1, n1), (gx2, mean2, var2, n2) = results
    numpy.testing.assert_allclose(gx2, gx1, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(mean2, mean1, rtol=1e-6)
    numpy.testing.assert_allclose(var2, var1, rtol=1e-6)
    assert n1 == n2 == (1 if finetune else 0)
