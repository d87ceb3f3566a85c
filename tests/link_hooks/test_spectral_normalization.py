"""SpectralNormalization: the weight a link sees has a largest singular value of 1."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain.backend.registry import to_host
from polychain.link_hooks import SpectralNormalization

from .hook_checks import WeightProbe, make_input, make_link


def _largest_singular_value(weight: numpy.ndarray) -> float:
    return float(numpy.linalg.svd(weight.reshape(weight.shape[0], -1), compute_uv=False)[0])


def _call_and_probe(link, x, times: int = 1) -> numpy.ndarray:
    """Calls ``link`` ``times`` times; returns the weight its last call used."""
    probe = WeightProbe()
    link.add_hook(probe)
    for _ in range(times):
        link(x)
    link.delete_hook(probe.name)
    return probe.seen


def test_normalized_weight_has_largest_singular_value_one(device, kind, rng):
    link = make_link(kind, device, 'float32', rng)
    link.add_hook(SpectralNormalization())
    seen = _call_and_probe(link, make_input(kind, device, 'float32', rng), times=30)
    assert _largest_singular_value(seen) == pytest.approx(1.0, rel=1e-3)
    numpy.testing.assert_allclose(
        seen, to_host(link.W.array) / _largest_singular_value(to_host(link.W.array)),
        rtol=1e-3, atol=1e-5)


def test_factor_and_gamma_scale_the_normalized_weight(device, rng):
    link = make_link('linear', device, 'float32', rng)
    sigma = _largest_singular_value(to_host(link.W.array))
    link.add_hook(SpectralNormalization(n_power_iteration=30, use_gamma=True, factor=2.0))
    assert float(to_host(link.gamma.array)) == pytest.approx(sigma, rel=1e-5)
    assert link.gamma.shape == ()
    seen = _call_and_probe(link, make_input('linear', device, 'float32', rng))
    assert _largest_singular_value(seen) == pytest.approx(2.0 * sigma, rel=1e-3)


def test_u_is_updated_in_train_mode_only(device, rng):
    link = make_link('linear', device, 'float32', rng)
    link.add_hook(SpectralNormalization())
    x = make_input('linear', device, 'float32', rng)
    before = to_host(link.W_u)
    with polychain.using_config('train', False):
        link(x)
    numpy.testing.assert_array_equal(to_host(link.W_u), before)
    link(x)
    assert not numpy.allclose(to_host(link.W_u), before)
    assert link.W_u.shape == (4,)


def test_gradient_matches_reference_with_u_and_v_constant(device, rng):
    link = make_link('linear', device, 'float64', rng)
    link.add_hook(SpectralNormalization())
    x = make_input('linear', device, 'float64', rng)
    gy = rng.standard_normal((2, 4))
    w, u0, x_host = to_host(link.W.array), to_host(link.W_u), to_host(x)
    link.cleargrads()
    with polychain.using_config('train', False):
        y = link(x)
    y.grad = device.send(gy)
    y.backward()

    v = u0 @ w
    v /= numpy.linalg.norm(v) + 1e-6
    u = w @ v
    u /= numpy.linalg.norm(u) + 1e-6
    sigma = u @ w @ v
    numpy.testing.assert_allclose(to_host(y.array), x_host @ (w / sigma).T, rtol=1e-10)
    g_normalized = gy.T @ x_host
    expected = g_normalized / sigma - numpy.sum(g_normalized * w) / sigma ** 2 * numpy.outer(u, v)
    numpy.testing.assert_allclose(to_host(link.W.grad), expected, rtol=1e-9, atol=1e-12)


def test_gamma_receives_a_gradient(device, rng):
    link = make_link('linear', device, 'float32', rng)
    link.add_hook(SpectralNormalization(use_gamma=True))
    F.sum(link(make_input('linear', device, 'float32', rng))).backward()
    assert link.gamma.grad is not None
    assert link.W.grad is not None


def test_link_keeps_its_parameters(device, kind, rng):
    link = make_link(kind, device, 'float32', rng)
    weight = link.W
    link.add_hook(SpectralNormalization())
    link(make_input(kind, device, 'float32', rng))
    assert link.W is weight
    assert isinstance(link.W, polychain.Parameter)
    assert [name for name, _ in link.namedparams()] == ['/W']
    assert list(link.params()) == [weight]


def test_u_is_saved_and_loaded(device, tmp_path, rng):
    source = make_link('linear', device, 'float32', rng)
    source.add_hook(SpectralNormalization())
    source(make_input('linear', device, 'float32', rng))
    polychain.serializers.save_npz(tmp_path / 'model.npz', source)
    with numpy.load(tmp_path / 'model.npz') as saved:
        numpy.testing.assert_array_equal(saved['W_u'], to_host(source.W_u))

    target = make_link('linear', device, 'float32', rng)
    target.add_hook(SpectralNormalization())
    polychain.serializers.load_npz(tmp_path / 'model.npz', target)
    numpy.testing.assert_array_equal(to_host(target.W_u), to_host(source.W_u))
    assert str(polychain.get_device_from_array(target.W_u)) == str(device)


def test_to_device_moves_u(device, rng):
    link = make_link('linear', polychain.get_device('@numpy'), 'float32', rng)
    link.add_hook(SpectralNormalization())
    u = to_host(link.W_u)
    link.to_device(device)
    assert str(polychain.get_device_from_array(link.W_u)) == str(device)
    numpy.testing.assert_array_equal(to_host(link.W_u), u)
    link(make_input('linear', device, 'float32', rng))


def test_deleting_the_hook_removes_what_it_registered(device, rng):
    link = make_link('linear', device, 'float32', rng)
    hook = SpectralNormalization(use_gamma=True)
    link.add_hook(hook)
    assert hook.vector_name == 'W_u'
    link.delete_hook(hook.name)
    assert not hasattr(link, 'W_u')
    assert not hasattr(link, 'gamma')
    assert [name for name, _ in link.namedparams()] == ['/W']
    state = {}
    link.serialize(lambda key, value: state.setdefault(key, value))
    assert sorted(state) == ['W']


def test_lazily_initialized_linear(device, rng):
    link = L.Linear(None, 3).to_device(device)
    hook = SpectralNormalization(n_power_iteration=30)
    link.add_hook(hook)
    assert not hasattr(link, 'W_u')
    x = device.send(rng.standard_normal((2, 2, 3)).astype('float32'))
    seen = _call_and_probe(link, x)
    assert link.W.shape == (3, 6)
    assert link.W_u.shape == (3,)
    assert _largest_singular_value(seen) == pytest.approx(1.0, rel=1e-3)


def test_deconvolution_normalizes_over_its_output_axis(device, rng):
    link = L.Deconvolution2D(2, 4, 3).to_device(device)
    hook = SpectralNormalization(n_power_iteration=30)
    link.add_hook(hook)
    assert hook.axis == 1
    assert link.W_u.shape == (4,)
    seen = _call_and_probe(link, device.send(rng.standard_normal((1, 2, 4, 4))
                                             .astype('float32')))
    by_output = numpy.moveaxis(seen, 1, 0)
    assert _largest_singular_value(by_output) == pytest.approx(1.0, rel=1e-3)


def test_errors():
    with pytest.raises(ValueError, match='n_power_iteration'):
        SpectralNormalization(n_power_iteration=0)
    with pytest.raises(ValueError, match="'V'"):
        L.Linear(3, 2).add_hook(SpectralNormalization(weight_name='V'))
    with pytest.raises(NotImplementedError):
        with SpectralNormalization():
            pass


def test_v_is_kept_and_recomputing_reuses_u_and_v(device, rng):
    link = L.Linear(4, 3).to_device(device)
    hook = SpectralNormalization()
    link.add_hook(hook)
    assert hook.v is None
    x = device.send(rng.standard_normal((2, 4)).astype(numpy.float32))
    y1 = to_host(link(x).array)
    u1, v1 = to_host(link.W_u), to_host(hook.v)
    with polychain.using_config('in_recomputing', True):
        y2 = to_host(link(x).array)
    numpy.testing.assert_array_equal(to_host(link.W_u), u1)
    numpy.testing.assert_array_equal(to_host(hook.v), v1)
    numpy.testing.assert_allclose(y2, y1, rtol=1e-6)
    with polychain.using_config('train', False):
        link(x)
    numpy.testing.assert_array_equal(to_host(link.W_u), u1)
    assert not numpy.array_equal(to_host(hook.v), v1)
