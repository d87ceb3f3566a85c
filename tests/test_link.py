"""Link, Chain, ChainList and Sequential: registration, traversal, copies and devices."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import Chain, ChainList, Parameter, Sequential, Variable
from polychain.backend import to_host


class TwoLayers(Chain):
    def __init__(self, in_size=4):
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(in_size, 3)
            self.l2 = L.Linear(3, 2)
        self.add_persistent('steps', 0)
        self.add_persistent('running', numpy.zeros(2, dtype=numpy.float32))

    def forward(self, x):
        return self.l2(F.relu(self.l1(x)))


def test_parameters_are_registered_only_inside_init_scope():
    link = polychain.Link()
    with link.init_scope():
        link.w = Parameter(numpy.ones(3, dtype=numpy.float32))
    link.outside = Parameter(numpy.ones(2, dtype=numpy.float32))
    assert [name for name, _ in link.namedparams()] == ['/w']


def test_namedparams_and_namedlinks_use_paths():
    model = TwoLayers()
    assert [name for name, _ in model.namedparams()] == ['/l1/W', '/l1/b', '/l2/W', '/l2/b']
    assert [name for name, _ in model.namedlinks()] == ['/', '/l1', '/l2']
    assert [name for name, _ in model.namedlinks(skipself=True)] == ['/l1', '/l2']
    assert list(model.children()) == [model.l1, model.l2]
    assert model.count_params() == 4 * 3 + 3 + 3 * 2 + 2
    assert model['l1'] is model.l1


def test_chainlist_paths_and_iteration():
    model = ChainList(L.Linear(4, 3), L.Linear(3, 2))
    assert [name for name, _ in model.namedparams()] == ['/0/W', '/0/b', '/1/W', '/1/b']
    assert len(model) == 2 and list(model)[1] is model[1]
    with pytest.raises(TypeError, match='add_link'):
        with model.init_scope():
            model.extra = L.Linear(2, 2)


def test_lazy_linear_takes_its_input_size_from_the_first_batch():
    layer = L.Linear(None, 5)
    assert not layer.W.is_initialized
    y = layer(numpy.ones((2, 3, 4), dtype=numpy.float32))
    assert layer.W.shape == (5, 12)
    assert y.shape == (2, 5)


def test_gradients_clear_zero_and_add():
    model = TwoLayers()
    x = numpy.random.default_rng(0).uniform(-1, 1, (5, 4)).astype(numpy.float32)
    F.sum(model(x)).backward()
    assert all(p.grad is not None for p in model.params())
    other = model.copy('copy')
    other.cleargrads()
    F.sum(other(x)).backward()
    before = model.l1.W.grad.copy()
    model.addgrads(other)
    numpy.testing.assert_allclose(model.l1.W.grad, 2 * before, rtol=1e-6)
    model.cleargrads()
    assert all(p.grad is None for p in model.params())
    with pytest.deprecated_call(match='zerograds? is deprecated'):
        model.zerograds()
    assert all(not numpy.any(p.grad) for p in model.params())


@pytest.mark.parametrize('mode', ['share', 'copy', 'init'])
def test_copy_modes(mode):
    numpy.random.seed(1)
    model = TwoLayers()
    copied = model.copy(mode)
    assert copied.l1 is not model.l1
    assert copied.l1.W is not model.l1.W
    shares = copied.l1.W.array is model.l1.W.array
    assert shares == (mode == 'share')
    same_values = numpy.array_equal(copied.l1.W.array, model.l1.W.array)
    assert same_values == (mode != 'init')
    with pytest.raises(ValueError, match="'share', 'copy' or 'init'"):
        model.copy('deep')


def test_copyparams_copies_values_and_persistents():
    a, b = TwoLayers(), TwoLayers()
    a.steps = 7
    b.copyparams(a)
    for (_, pa), (_, pb) in zip(a.namedparams(), b.namedparams()):
        numpy.testing.assert_array_equal(pa.array, pb.array)
    assert b.steps == 7


def test_to_device_moves_parameters_and_persistents(device):
    numpy.random.seed(0)
    model = TwoLayers()
    expected = {name: p.array.copy() for name, p in model.namedparams()}
    model.to_device(device)
    assert model.device is device and model.l1.device is device
    for name, param in model.namedparams():
        assert param.device is device
        numpy.testing.assert_array_equal(to_host(param.array), expected[name])
    assert polychain.get_device_from_array(model.running) is device
    y = model(device.send(numpy.ones((2, 4), dtype=numpy.float32)))
    assert y.device is device
    model.to_device('@numpy')
    for name, param in model.namedparams():
        numpy.testing.assert_array_equal(param.array, expected[name])


def test_uninitialised_parameters_land_on_the_link_device(device):
    layer = L.Linear(None, 3).to_device(device)
    layer(device.send(numpy.ones((2, 4), dtype=numpy.float32)))
    assert layer.W.device is device
    assert polychain.get_device_from_array(layer.W.array) is device


def test_sequential_mixes_links_and_functions():
    seq = Sequential(L.Linear(4, 3), F.relu, L.Linear(3, 2))
    assert len(seq) == 3 and len(list(seq.params())) == 4
    y = seq(numpy.ones((2, 4), dtype=numpy.float32))
    assert y.shape == (2, 2)
    seq.pop(1)
    assert len(seq) == 2 and [n for n, _ in seq.namedparams()] == ['/0/W', '/0/b', '/1/W',
                                                                   '/1/b']
    repeated = L.Linear(3, 3).repeat(2)
    assert len(repeated) == 2 and repeated[0] is not repeated[1]


def test_disable_update_marks_links():
    model = TwoLayers()
    model.disable_update()
    assert not model.update_enabled and not model.l1.update_enabled
    model.enable_update()
    assert model.l2.update_enabled


def test_repr_lists_children():
    text = repr(TwoLayers())
    assert text.startswith('TwoLayers(\n  (l1): Linear(in_size=4, out_size=3, nobias=False),')


def test_add_param_and_errors():
    link = polychain.Link()
    link.add_param('w', (2, 3))
    assert link.w.shape == (2, 3) and numpy.isnan(link.w.array).all()
    with pytest.raises(AttributeError, match="'w' already exists"):
        link.add_param('w', (1,))
    chain = Chain()
    with pytest.raises(TypeError, match='expected a Link'):
        chain.add_link('x', Variable(numpy.ones(1, dtype=numpy.float32)))


def test_params_are_sets_listed_in_name_order():
    link = polychain.Link()
    with link.init_scope():
        link.y = Parameter(numpy.ones(2, dtype=numpy.float32))
        link.x = Parameter(numpy.ones(3, dtype=numpy.float32))
        link.u = Parameter()
    assert isinstance(link._params, set)
    assert [name for name, _ in link.namedparams()] == ['/u', '/x', '/y']
    with pytest.warns(UserWarning, match="'/u'"):
        assert link.count_params() == 5


def test_old_style_constructor_takes_shapes_and_dtypes():
    link = polychain.Link(x=((2, numpy.int64(3)), 'd'), u=(None, 'd'), y=2)
    assert link.x.shape == (2, 3) and link.x.dtype == numpy.float64
    assert link.u.array is None and link.y.dtype == numpy.float32


def test_copy_names_and_deepcopy():
    import copy
    link = TwoLayers()
    link.name = 'model'
    shared = link.copy('share')
    assert shared.name is None and shared.l1.name == 'l1'
    assert shared.l1.W.array is link.l1.W.array and shared.l1.W is not link.l1.W
    copied = link.copy('copy')
    assert copied.name == 'model' and copied.l1.W.array is not link.l1.W.array
    numpy.testing.assert_array_equal(copied.l1.W.array, link.l1.W.array)
    deep = copy.deepcopy(link)
    assert deep.running is not link.running and deep.l2.b is not link.l2.b


def test_link_without_init_call_is_detected():
    class Broken(polychain.Link):
        def __init__(self):
            pass

        def forward(self, x):
            return x

    with pytest.raises(RuntimeError, match=r'Link\.__init__\(\) has not been called'):
        Broken()(1)
    with pytest.raises(RuntimeError, match='has not been called'):
        Broken().add_param('w', (1,))


def test_call_prefers_an_injected_mixin_call_and_needs_forward():
    class Mixin:
        def __call__(self, x):
            return ('mixin', x)

    class Injected(polychain.Link, Mixin):
        pass

    assert Injected()(3) == ('mixin', 3)
    with pytest.raises(AttributeError):
        Chain()(0)


def test_device_methods_deprecations_and_overrides():
    with pytest.warns(DeprecationWarning):
        TwoLayers().to_cpu()
    with pytest.warns(DeprecationWarning):
        TwoLayers().zerograds()
    with pytest.raises(TypeError, match='to_device'):
        class Bad(polychain.Link):
            def to_device(self, device):
                return self
    with pytest.warns(DeprecationWarning):
        class Legacy(polychain.Link):
            calls = 0

            def to_cpu(self):
                Legacy.calls += 1
                return super().to_cpu()

    parent = Chain()
    with parent.init_scope():
        parent.child = Legacy()
    with pytest.warns(DeprecationWarning):
        parent.to_device('@numpy')
    assert Legacy.calls == 1


def test_chainlist_edits_rename_children():
    a, b, c, d = (polychain.Link() for _ in range(4))
    chain = ChainList(a, b)
    chain += ChainList(c)
    assert c.name == '2'
    chain[1:3] = [d]
    assert len(chain) == 2 and d.name == '1'
    del chain[0]
    assert d.name == '0'


def test_sequential_list_methods():
    lin1, lin2 = L.Linear(3, 3), L.Linear(3, 3)
    seq = Sequential(lin1, F.relu)
    with pytest.raises(ValueError):
        Sequential(0)
    with pytest.raises(IndexError):
        seq.insert(3, F.relu)
    seq.insert(-1, lin2)
    assert list(seq) == [lin1, lin2, F.relu] and lin2.name == '1'
    assert seq.count_by_layer_type('Linear') == 2 and seq.count(F.relu) == 1
    both = seq + Sequential(Sequential(F.sigmoid))
    assert len(both) == 4 and both.flatten()[3] is F.sigmoid
    seq.remove_by_layer_type('relu')
    assert F.relu not in seq and seq.index(lin2) == 1
    seq.clear()
    with pytest.raises(RuntimeError):
        seq(numpy.ones((1, 3), dtype=numpy.float32))


def test_sequential_str_shows_lambda_source_and_refuses_to_pickle_it():
    import pickle
    layers = [
        lambda x: x * 2,
    ]
    seq = Sequential(*layers)
    assert str(seq) == 'Sequential(\n  (0): lambda x: x * 2,\n)'
    with pytest.raises(ValueError):
        pickle.dumps(seq)
    restored = pickle.loads(pickle.dumps(Sequential(L.Linear(2, 2))))
    assert restored[0].W.shape == (2, 2)


def test_serialize_keeps_arrays_when_the_serializer_returns_no_array(device):
    link = L.Linear(2, 3).to_device(device)
    before = link.W.array
    link.serialize(lambda key, value: object())
    assert link.W.array is before
    loaded = numpy.full((3, 2), 5, dtype=numpy.float64)
    link.serialize(lambda key, value: loaded if key == 'W' else None)
    assert to_host(link.W.array).dtype == numpy.float32 and (to_host(link.W.array) == 5).all()
    assert polychain.get_device_from_array(link.W.array) is device
