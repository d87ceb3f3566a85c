"""Chainer's type-check language and how FunctionNode runs checks written in it."""

from __future__ import annotations

import numpy
import pytest

from polychain import FunctionNode, Variable
from polychain.utils import type_check
from polychain.utils.type_check import InvalidType


def _types(*shapes, dtype=numpy.float32):
    return type_check.get_types(tuple(numpy.zeros(s, dtype) for s in shapes))


def _failure(*conditions):
    with pytest.raises(InvalidType) as error:
        type_check.expect(*conditions)
    return error.value.expect, error.value.actual


def test_failed_comparisons_show_the_condition_and_the_values():
    x_type, = _types((2, 3, 4))
    assert _failure(x_type.ndim == 2) == ('in_types[0].ndim == 2', '3 != 2')
    assert _failure(x_type.shape[0] > 5) == ('in_types[0].shape[0] > 5', '2 <= 5')
    assert _failure(x_type.dtype == numpy.float64) == (  # types print as Chainer's do
        "in_types[0].dtype == <class 'numpy.float64'>", "float32 != <class 'numpy.float64'>")
    assert _failure(x_type.dtype.kind == 'i') == ("in_types[0].dtype.kind == 'i'", "'f' != 'i'")
    assert _failure(x_type.shape[1:] == (4,)) == ('in_types[0].shape[1:] == (4,)',
                                                  '(3, 4) != (4,)')


def test_the_number_of_inputs_is_in_types_size():
    assert _failure(_types((1,)).size() == 2) == ('in_types.size == 2', '1 != 2')


def test_passing_conditions_raise_nothing():
    x_type, y_type = _types((2, 3), (3,))
    type_check.expect(x_type.ndim == 2, x_type.shape[1] == y_type.shape[0],
                      x_type.dtype == numpy.float32, x_type.shape[0] != 0, True)


def test_arithmetic_prints_with_the_parentheses_it_needs():
    x_type, y_type = _types((2, 3), (6,))
    condition = (x_type.shape[0] + 1) * x_type.shape[1] == y_type.shape[0] - -1
    assert str(condition) == '(in_types[0].shape[0] + 1) * in_types[0].shape[1] == ' \
                             'in_types[1].shape[0] - -1'
    assert _failure(condition)[1] == '9 != 7'
    assert str(2 ** x_type.ndim ** 2) == '2 ** in_types[0].ndim ** 2'
    assert str((2 ** x_type.ndim) ** 2) == '(2 ** in_types[0].ndim) ** 2'


def test_prod_eval_make_variable_and_argname():
    x_type, w_type = _types((2, 3, 4), (5, 12))
    type_check.argname((x_type, w_type), ('x', 'W'))
    assert _failure(type_check.prod(x_type.shape[1:]) == w_type.shape[0]) == (
        'prod(x.shape[1:]) == W.shape[0]', '12 != 5')
    assert type_check.eval(x_type.shape[0] * 2) == 4 and type_check.eval(7) == 7
    limit = type_check.make_variable(3, 'limit')
    assert _failure(x_type.ndim < limit) == ('x.ndim < limit', '3 >= 3')
    with pytest.raises(InvalidType, match='2 argument'):
        type_check.argname((x_type,), ('x', 'W'))


def test_a_plain_false_is_rejected_too():
    with pytest.raises(InvalidType, match='condition 1 given to type_check.expect'):
        type_check.expect(True, False)


class _MatrixOnly(FunctionNode):
    """A Chainer-style check: conditions, plus Python logic on values computed by eval."""

    def check_type_forward(self, in_types):
        type_check.argname(in_types, ('x',))
        x_type, = in_types
        if type_check.eval(x_type.dtype.kind) == 'f':
            type_check.expect(x_type.ndim == 2, x_type.shape[0] == x_type.shape[1])

    def forward(self, inputs):
        return inputs[0] * 2,


def test_a_function_node_explains_which_condition_failed():
    with pytest.raises(InvalidType) as error:
        _MatrixOnly().apply((numpy.zeros((2, 3), numpy.float32),))
    message = str(error.value)
    assert 'Invalid operation is performed in: _MatrixOnly (Forward)' in message
    assert 'Expect: x.shape[0] == x.shape[1]\nActual: 2 != 3' in message


def test_checks_that_pass_run_on_plain_values(device):
    seen = []

    class Records(FunctionNode):
        def check_type_forward(self, in_types):
            seen.append(in_types)
            type_check.expect(in_types.size() == 1, in_types[0].ndim == 2)

        def forward(self, inputs):
            return inputs[0] * 2,

    x = device.send(numpy.zeros((2, 3), numpy.float32))
    y, = Records().apply((Variable(x),))
    assert y.shape == (2, 3)
    in_types, = seen
    assert isinstance(in_types, type_check.LightTypeInfoTuple) and in_types.size() == 1
    info, = in_types
    assert (info.shape, info.ndim, info.size, info.dtype) == ((2, 3), 2, 6, x.dtype)


def test_errors_raised_directly_keep_their_own_message():
    class Direct(FunctionNode):
        def check_type_forward(self, in_types):
            raise InvalidType('x.ndim == 5', f'x.ndim == {in_types[0].ndim}')

        def forward(self, inputs):
            return inputs[0],

    with pytest.raises(InvalidType, match='Expect: x.ndim == 5\nActual: x.ndim == 1'):
        Direct().apply((numpy.zeros(1, numpy.float32),))


def test_an_expression_has_no_truth_value():
    x_type, = _types((2, 3))
    with pytest.raises(RuntimeError, match='type_check.eval'):
        bool(x_type.ndim == 2)
    with pytest.raises(RuntimeError):
        if x_type.ndim:
            pass


def test_bitwise_operators_bind_as_in_python():
    x, y = type_check.Variable(6, 'x'), type_check.Variable(3, 'y')
    assert str(x | y ^ x & y << 1) == 'x | y ^ x & y << 1'
    assert str((x | y) & y) == '(x | y) & y'
    assert str(1 << x >> y) == '1 << x >> y' and (1 << x >> y).eval() == 8
    assert ((x | y) & y).eval() == 3 and (~x).eval() == -7
    assert (x | y).priority < (x ^ y).priority < (x & y).priority < (x << y).priority \
        < (x + y).priority < (x * y).priority < (-x).priority < (x ** y).priority < x.priority


def test_attributes_items_and_calls_print_as_written():
    x = type_check.Variable([1, 2, 3], 'x')
    assert str(x[1:2, ...]) == 'x[1:2, ...]' and str(x[::2]) == 'x[::2]'
    assert str(type_check.GetAttr(x, 3)) == 'getattr(x, 3)'
    assert str(type_check.GetAttr(x, type_check.Constant('real'))) == 'x.real'
    assert str(type_check.prod([2, x[0]])) == 'prod([2, x[0]])'
    assert type_check.prod([2, x[0]]).eval() == 2
    assert (type_check.Constant((0, 1)) == (type_check.Constant(0), 1)).eval()


def test_invalid_type_survives_pickling():
    import pickle
    error = InvalidType('x.ndim == 2', '3 != 2', 'see the docs')
    error.set_function('Linear')
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.expect, copy.actual, copy.msg, copy.args) == \
        ('x.ndim == 2', '3 != 2', 'see the docs', error.args)


def test_get_types_takes_a_tuple():
    with pytest.raises(AssertionError):
        type_check.get_types(numpy.zeros(3), 'x', False)


def test_same_types_and_broadcast_shapes(device):
    a, b = numpy.zeros(2), device.send(numpy.zeros(2))
    assert type_check.same_types(a, numpy.zeros((1, 1)))
    assert type_check.same_types(a, b) == (str(device) == '@numpy')
    x_type, y_type = _types((2, 1, 3), (4, 1))
    type_check.expect_broadcast_shapes(x_type.shape, y_type.shape, (1, 3))
    with pytest.raises(InvalidType, match='broadcast together'):
        type_check.expect_broadcast_shapes(x_type.shape, (2, 2))


def test_checks_see_plain_values_unless_a_failure_is_being_explained():
    modes = []

    class Square(FunctionNode):
        def check_type_forward(self, in_types):
            modes.append(type_check.in_light_mode())
            x_type, = in_types
            type_check.expect(x_type.shape[0] == x_type.shape[1])

        def forward(self, inputs):
            return inputs[0] * 2,

    Square().apply((numpy.zeros((2, 2), numpy.float32),))
    with pytest.raises(InvalidType, match='Actual: 2 != 3'):
        Square().apply((numpy.zeros((2, 3), numpy.float32),))
    assert modes == [True, True, False] and type_check.in_light_mode()


def test_light_mode_blocks_nest_and_restore():
    with type_check._expression_mode:
        assert not type_check.in_light_mode()
        with type_check.light_mode:
            assert type_check.in_light_mode()
        assert not type_check.in_light_mode()
    assert isinstance(type_check.light_mode, type_check.LightMode)
    assert type_check.in_light_mode()


def test_function_check_context_names_the_function():
    node = FunctionNode()
    with pytest.raises(InvalidType, match='performed in: FunctionNode'):
        with type_check.get_function_check_context(node):
            type_check.expect(type_check.Variable(1, 'n') == 2)
