"""The small modules of ``polychain.utils``: argument, array, cache, precision, meta,
nondeterministic, tempdir and collections_abc."""

from __future__ import annotations

import collections.abc
import os
import warnings

import numpy
import pytest

import polychain
from polychain import FunctionNode, Variable, cuda, utils
from polychain.utils import argument, array, cache, collections_abc, precision


def test_parse_kwargs_gives_values_in_order_and_names_the_caller():
    def fit(**kwargs):
        return argument.parse_kwargs(kwargs, ('foo', 1), ('bar', 2),
                                     train='train is a configuration now')

    assert fit() == (1, 2) and fit(bar=3, foo=4) == (4, 3)
    given = {'foo': 5}
    assert argument.parse_kwargs(given, ('foo', 1)) == (5,) and given == {}
    with pytest.raises(TypeError, match=r"^fit\(\) got unexpected keyword argument\(s\) "
                                        r"'ham', 'spam'$"):
        fit(spam=1, ham=2)
    with pytest.raises(ValueError, match='train is a configuration now'):
        fit(train=True)


def test_check_unexpected_kwargs_raises_the_given_message():
    argument.check_unexpected_kwargs({'a': 1}, b='no b')
    with pytest.raises(ValueError, match='no a'):
        argument.check_unexpected_kwargs({'a': 1}, a='no a')


@pytest.mark.parametrize('in_shape, out_shape', [
    ((2, 3), ()), ((2, 3), (3,)), ((2, 3), (1, 3)), ((2, 3), (2, 1)), ((2, 3, 4), (3, 1)),
    ((3,), (3,)),
])
def test_sum_to_adds_the_broadcast_axes(device, in_shape, out_shape):
    x = numpy.arange(numpy.prod(in_shape), dtype=numpy.float32).reshape(in_shape)
    expected = x.sum(axis=tuple(range(x.ndim - len(out_shape))))
    for axis, n in enumerate(out_shape):
        if n == 1:
            expected = expected.sum(axis=axis, keepdims=True)
    y = array.sum_to(device.send(x), out_shape)
    assert tuple(y.shape) == out_shape
    numpy.testing.assert_array_equal(cuda.to_cpu(y), expected)
    assert utils.sum_to is array.sum_to and array.size_of_shape((2, 0)) == 0


def test_sum_to_rejects_a_longer_shape():
    with pytest.raises(ValueError, match='longer shape'):
        array.sum_to(numpy.zeros(3), (1, 3))


class _Halves:
    def __init__(self, x):
        self.x, self.calls = x, 0

    @cache.cached_property
    def half(self):
        self.calls += 1
        return self.x * 0.5


def test_cached_property_computes_once_per_backprop_mode():
    obj = _Halves(Variable(numpy.ones(2, numpy.float32)))
    first = obj.half
    assert obj.half is first and obj.calls == 1 and first.creator is not None
    with polychain.no_backprop_mode():
        detached = obj.half
        assert obj.half is detached
    assert detached is not first and detached.creator is None and obj.calls == 2
    assert obj.half is first and _Halves.half.__name__ == 'half'


class _Keep(FunctionNode):
    @precision._fp16_mixed_precision_helper
    def forward(self, inputs):
        self.seen = inputs
        return tuple(inputs)


def test_mixed_precision_computes_float16_in_float32(device):
    if not hasattr(device.namespace, 'float16'):
        pytest.skip(f'{device} has no float16')
    half = device.send(numpy.ones(2, numpy.float16))
    ints = device.send(numpy.ones(2, numpy.int8))
    node = _Keep()
    y = node.apply((half, ints))
    assert node.seen[0].dtype == device.namespace.float32 and node.seen[1] is ints
    assert y[0].dtype == numpy.float16 and y[1].dtype == numpy.int8
    single = device.send(numpy.ones(2, numpy.float32))
    node = _Keep()
    node.apply((single, half))
    assert node.seen[0] is single and node.seen[1] is half


def test_final_methods_cannot_be_overridden():
    class Base(utils.enable_final()):
        @utils.final
        def locked(self):
            return 1

        @utils.final(action=DeprecationWarning)
        def discouraged(self):
            return 2

    with pytest.raises(TypeError, match='locked'):
        class Bad(Base):
            def locked(self):
                return 3
    with pytest.warns(DeprecationWarning, match='discouraged'):
        class Warned(Base):
            def discouraged(self):
                return 4
    assert Warned().discouraged() == 4


def test_enable_final_combines_with_another_metaclass():
    import abc

    class Base(utils.enable_final(meta_base=abc.ABCMeta)):
        @abc.abstractmethod
        def run(self):
            pass

    with pytest.raises(TypeError):
        Base()


def test_nondeterministic_warns_only_when_asked():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        utils.nondeterministic('atomicAdd')
    with polychain.using_config('warn_nondeterministic', True):
        with pytest.warns(UserWarning, match='Source: atomicAdd'):
            utils.nondeterministic('atomicAdd')


def test_tempdir_is_removed_after_the_block():
    with utils.tempdir(prefix='pc-') as path:
        assert os.path.basename(path).startswith('pc-') and os.path.isdir(path)
        open(os.path.join(path, 'f'), 'w').close()
    assert not os.path.exists(path)


def test_collections_abc_is_the_standard_module():
    assert collections_abc.Iterable is collections.abc.Iterable
