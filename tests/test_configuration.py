"""polychain.config: defaults, using_config, the backprop modes, threads and debug mode."""

import contextlib
import threading

import numpy
import pytest

import polychain
import polychain.functions as F
from polychain.backend import to_host


def _variable(device, values, dtype='float32'):
    return polychain.Variable(device.send(numpy.asarray(values, dtype=dtype)))


def _in_thread(function):
    """Runs ``function`` in a new thread and returns its result (or raises its exception)."""
    outcome = {}

    def target():
        try:
            outcome['value'] = function()
        except BaseException as error:  # re-raised in the calling thread
            outcome['error'] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if 'error' in outcome:
        raise outcome['error']
    return outcome['value']


@contextlib.contextmanager
def _held_in_another_thread(context, inside=lambda: None):
    """Keeps ``with context():`` open in a new thread while the caller's block runs.

    ``inside`` runs in that thread within the block; the yielded dict holds its
    result as ``'inside'``.
    """
    entered = threading.Event()
    release = threading.Event()
    seen = {}

    def hold():
        with context():
            seen['inside'] = inside()
            entered.set()
            release.wait(timeout=10)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert entered.wait(timeout=10)
        yield seen
    finally:
        release.set()
        thread.join()


# -- defaults and using_config ---------------------------------------------------------------


def test_defaults():
    assert polychain.config.train is True
    assert polychain.config.enable_backprop is True
    assert polychain.config.type_check is True
    assert polychain.config.dtype == numpy.float32  # a NumPy dtype, as in Chainer
    assert isinstance(polychain.config.dtype, numpy.dtype)


def test_unknown_entry_raises_attribute_error_naming_it():
    with pytest.raises(AttributeError, match='no_such_entry'):
        polychain.config.no_such_entry  # noqa: B018


def test_using_config_sets_and_restores():
    with polychain.using_config('train', False):
        assert polychain.config.train is False
        with polychain.using_config('train', 'nested'):
            assert polychain.config.train == 'nested'
        assert polychain.config.train is False
    assert polychain.config.train is True


def test_using_config_restores_after_an_exception():
    with pytest.raises(KeyError):
        with polychain.using_config('train', False):
            raise KeyError('inside')
    assert polychain.config.train is True


def test_using_config_decorates_a_function():
    @polychain.using_config('train', False)
    def evaluate():
        return polychain.config.train

    assert evaluate() is False
    assert polychain.config.train is True


def test_using_config_removes_a_new_entry_afterwards():
    with polychain.using_config('user_entry', 3):
        assert polychain.config.user_entry == 3
    with pytest.raises(AttributeError):
        polychain.config.user_entry  # noqa: B018


def test_a_using_config_left_after_its_entry_was_reset_does_not_raise():
    block = polychain.using_config('dtype', numpy.float64)
    block.__enter__()
    del polychain.config.dtype  # the entry reset by someone else (a test runner)
    block.__exit__(None, None, None)
    assert polychain.config.dtype == numpy.float32


def test_global_config_is_seen_by_every_thread():
    polychain.global_config.shared_entry = 'shared'
    try:
        assert polychain.config.shared_entry == 'shared'
        assert _in_thread(lambda: polychain.config.shared_entry) == 'shared'
    finally:
        del polychain.global_config.shared_entry


def test_debug_helpers():
    assert polychain.is_debug() is bool(polychain.config.debug)
    with polychain.using_config('debug', True):
        assert polychain.is_debug() is True
    with polychain.using_config('debug', False):
        assert polychain.is_debug() is False


# -- threads ------------------------------------------------------------------------------------


def test_using_config_in_this_thread_does_not_leak_into_another():
    with polychain.using_config('train', False):
        assert _in_thread(lambda: polychain.config.train) is True
        assert polychain.config.train is False


def test_using_config_in_another_thread_does_not_leak_into_this_one():
    with _held_in_another_thread(lambda: polychain.using_config('train', False),
                                 lambda: polychain.config.train) as seen:
        assert polychain.config.train is True
    assert seen['inside'] is False


def test_no_backprop_mode_is_thread_local(device):
    x = _variable(device, [1.0])
    with polychain.no_backprop_mode():
        y = _in_thread(lambda: x * 2.0)
    assert y.creator is not None


# -- backprop modes ----------------------------------------------------------------------------


def test_no_backprop_mode_builds_no_graph(device):
    x = _variable(device, [1.0, 2.0])
    with polychain.no_backprop_mode():
        assert polychain.config.enable_backprop is False
        y = F.sum(x * 2.0)
    assert polychain.config.enable_backprop is True
    assert y.creator is None
    numpy.testing.assert_array_equal(to_host(y.array), numpy.float32(6.0))
    y.backward()
    assert x.grad is None


def test_force_backprop_mode_inside_no_backprop_mode(device):
    x = _variable(device, [1.0, 2.0])
    with polychain.no_backprop_mode():
        with polychain.force_backprop_mode():
            assert polychain.config.enable_backprop is True
            y = F.sum(x * 2.0)
        z = x * 2.0
    assert y.creator is not None
    assert z.creator is None
    y.backward()
    numpy.testing.assert_array_equal(to_host(x.grad), numpy.full(2, 2.0, dtype='float32'))


# -- debug mode ----------------------------------------------------------------------------------


@pytest.mark.filterwarnings('ignore::RuntimeWarning')
@pytest.mark.parametrize('function, name, values', [
    (F.log, 'Log', [-1.0, 2.0]),
    (F.sqrt, 'Sqrt', [-1.0, 2.0]),
    (lambda x: 0.0 / x, r'0\.0 / _', [0.0, 2.0]),  # Chainer's label of a constant divided
])
def test_debug_mode_names_the_function_producing_nan(function, name, values, device):
    x = _variable(device, values)
    with polychain.using_config('debug', True):
        with pytest.raises(RuntimeError, match=name):
            function(x)


@pytest.mark.filterwarnings('ignore::RuntimeWarning')
def test_without_debug_mode_nan_passes_silently(device):
    x = _variable(device, [-1.0, 1.0])
    with polychain.using_config('debug', False):
        y = F.log(x)
    host = to_host(y.array)
    assert numpy.isnan(host[0])
    assert host[1] == 0.0


def test_debug_mode_accepts_finite_outputs(device):
    x = _variable(device, [1.0, 2.0])
    with polychain.using_config('debug', True):
        y = F.log(x)
    numpy.testing.assert_allclose(to_host(y.array), numpy.log([1.0, 2.0]), rtol=1e-6)


# -- the hot path's view of debug and enable_backprop ---------------------------------------------


@pytest.mark.filterwarnings('ignore::RuntimeWarning')
def test_global_debug_is_honoured_by_every_function(device):
    x = _variable(device, [-1.0])
    polychain.set_debug(True)
    try:
        with pytest.raises(RuntimeError, match='Log'):
            F.log(x)
    finally:
        polychain.set_debug(False)
    assert numpy.isnan(to_host(F.log(x).array)[0])


@pytest.mark.filterwarnings('ignore::RuntimeWarning')
def test_debug_in_another_thread_does_not_turn_it_on_here(device):
    x = _variable(device, [-1.0])
    with _held_in_another_thread(lambda: polychain.using_config('debug', True)):
        assert numpy.isnan(to_host(F.log(x).array)[0])  # no error in this thread
        with polychain.using_config('debug', True):
            with pytest.raises(RuntimeError, match='Log'):
                F.log(x)


def test_no_backprop_in_another_thread_keeps_the_graph_here(device):
    x = _variable(device, [1.0])
    with _held_in_another_thread(polychain.no_backprop_mode,
                                 lambda: (x * 2.0).creator) as seen:
        assert (x * 2.0).creator is not None
    assert seen['inside'] is None


def test_global_enable_backprop_off_builds_no_graph(device):
    x = _variable(device, [1.0])
    polychain.global_config.enable_backprop = False
    try:
        assert (x * 2.0).creator is None
    finally:
        polychain.global_config.enable_backprop = True
    assert (x * 2.0).creator is not None


def test_show_prints_the_entries_sorted_and_aligned():
    import io

    from polychain.configuration import GlobalConfig, LocalConfig
    shared = GlobalConfig()
    shared.abc = 1
    shared.x = 'global x'
    local = LocalConfig(shared)
    local.x = 'local x'
    out = io.StringIO()
    local.show(out)
    assert out.getvalue().startswith('abc 1\n')
    assert 'x   local x\n' in out.getvalue()
    out = io.StringIO()
    shared.show(out)
    assert out.getvalue() == 'abc 1\nx   global x\n'


def test_a_separate_global_config_leaves_polychains_alone():
    from polychain.configuration import GlobalConfig, LocalConfig
    shared = GlobalConfig()
    shared.separate_entry = 1
    assert LocalConfig(shared).separate_entry == 1
    assert not hasattr(polychain.config, 'separate_entry')


def test_get_dtype_follows_config_dtype_and_mixed16():
    with polychain.using_config('dtype', numpy.float64):
        assert polychain.get_dtype() == numpy.float64
        assert polychain.get_dtype(numpy.float16) == numpy.float16
        assert polychain.get_dtype(polychain.mixed16) == numpy.float16
    with polychain.using_config('dtype', polychain.mixed16):
        assert polychain.get_dtype() == numpy.float16
        assert polychain.get_dtype(map_mixed16=numpy.float32) == numpy.float32


def test_debug_mode_context_is_deprecated_and_restores():
    with pytest.warns(DeprecationWarning):
        mode = polychain.DebugMode(True)
    with mode:
        assert polychain.is_debug()
    assert not polychain.is_debug()
