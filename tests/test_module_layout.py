"""Chainer's module layout: ``F.<category>.<module>`` is the module, ``F.<name>`` the function."""

import importlib
import types

import pytest

import polychain
import polychain.functions as F

CATEGORIES = ('activation', 'array', 'connection', 'evaluation', 'loss', 'math', 'noise',
              'normalization', 'pooling', 'rnn', 'util')


def test_a_module_of_a_category_is_not_shadowed_by_its_function():
    assert isinstance(F.math.einsum, types.ModuleType)
    assert F.einsum is F.math.einsum.einsum
    assert isinstance(F.math.sum, types.ModuleType)
    assert F.sum is F.math.sum.sum


def test_from_a_category_import_a_module():
    from polychain.functions.math import basic_math, einsum
    assert isinstance(basic_math, types.ModuleType)
    assert isinstance(einsum, types.ModuleType)


@pytest.mark.parametrize('name', F.__all__)
def test_every_function_is_found_in_a_module_of_its_category(name):
    function = getattr(F, name)
    module = importlib.import_module(function.__module__)
    _, _, category, module_name = module.__name__.split('.')
    assert category in CATEGORIES
    assert getattr(getattr(F, category), module_name) is module


def test_all_lists_every_public_function():
    public = {n for n, v in vars(F).items() if callable(v) and not n.startswith('_')}
    assert public == set(F.__all__)


@pytest.mark.parametrize('path', [
    'math.identity.Identity', 'math.identity.identity', 'math.exponential.Exp',
    'math.minmax.max', 'math.trigonometric.Sin', 'math.basic_math.Mul', 'noise.dropout.Dropout',
    'connection.deconvolution_nd.DeconvolutionND', 'connection.embed_id.EmbedIDGrad',
    'rnn.lstm.lstm', 'rnn.slstm.slstm',
])
def test_chainer_module_paths(path):
    obj = F
    for part in path.split('.'):
        obj = getattr(obj, part)
    assert callable(obj)


def test_category_packages_define_no_functions():
    for category in CATEGORIES:
        package = getattr(F, category)
        assert not any(isinstance(v, types.FunctionType) for v in vars(package).values())


def test_polychain_functions_is_importable_as_an_attribute():
    assert polychain.functions is F


@pytest.mark.parametrize('axis', [0, 1, -1])
def test_array_flip_helper_flips_an_array_as_numpy(axis):
    import numpy
    x = numpy.arange(24).reshape(2, 3, 4)
    numpy.testing.assert_array_equal(F.array.flip._flip(x, axis), numpy.flip(x, axis))


def test_top_level_basic_math_is_the_functions_module():
    from polychain import basic_math
    assert basic_math is F.math.basic_math
    assert basic_math.Mul is F.math.basic_math.Mul


def test_memory_layouts_read_the_channel_axis_where_it_is_stored():
    import numpy

    from polychain import memory_layouts as ml
    x = numpy.zeros((2, 5, 6, 3))
    assert ml.CUDNN_CHANNEL_FIRST_X is None and ml.CUDNN_CHANNEL_FIRST_W is None
    assert ml.get_raw_shape(x) == (2, 5, 6, 3)
    assert ml.get_semantic_shape(x) == (2, 5, 6, 3)
    assert ml.get_semantic_shape(polychain.Variable(x)) == (2, 5, 6, 3)
    assert ml.get_semantic_shape(x, assumed_layout=ml.CUDNN_CHANNEL_LAST_X) == (2, 3, 5, 6)
    assert ml.get_semantic_shape(x, assumed_layout=ml.CUDNN_CHANNEL_LAST_W) == (2, 3, 5, 6)
    with pytest.raises(ValueError):
        ml.get_semantic_shape(x, assumed_layout='NHWC')


UTILS_NAMES = ('CooMatrix', 'WalkerAlias', 'enable_final', 'experimental', 'final', 'force_array',
               'force_type', 'get_conv_outsize', 'get_deconv_outsize', 'get_order',
               'nondeterministic', 'size_of_shape', 'sum_to', 'tempdir', 'to_coo')
TYPE_CHECK_NAMES = ('Atom', 'BinaryOperator', 'BoolBinaryOperator', 'Call', 'Constant', 'Expr',
                    'GetAttr', 'GetItem', 'InvalidType', 'LightTypeInfoTuple', 'Testable',
                    'TypeInfo', 'TypeInfoTuple', 'UnaryOperator', 'Variable', 'eval', 'expect',
                    'expect_broadcast_shapes', 'get_light_types', 'get_types', 'make_variable',
                    'prod', 'same_types', 'LightMode', 'light_mode', 'in_light_mode',
                    'get_function_check_context')


@pytest.mark.parametrize('module, names', [('polychain.utils', UTILS_NAMES),
                                           ('polychain.utils.type_check', TYPE_CHECK_NAMES)])
def test_utils_has_chainers_names(module, names):
    module = importlib.import_module(module)
    assert [name for name in names if not hasattr(module, name)] == []


@pytest.mark.parametrize('module', ['argument', 'array', 'cache', 'collections_abc', 'conv',
                                    'conv_nd', 'precision', 'sparse', 'type_check'])
def test_utils_submodules_are_attributes_of_utils(module):
    assert getattr(polychain.utils, module) is importlib.import_module(f'polychain.utils.{module}')


def test_top_level_initializer_is_the_base_class_of_the_initializers():
    from polychain import initializer, initializers
    assert polychain.Initializer is initializer.Initializer
    assert isinstance(initializers.Normal(), polychain.Initializer)
