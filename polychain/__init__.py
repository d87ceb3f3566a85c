"""polychain: a define-by-run deep-learning framework with Chainer's API on any Array API backend.

``import polychain as chainer`` gives Chainer's core names; arrays come from
interchangeable backends (NumPy, CuPy, JAX and plugins) chosen per device.
"""

from polychain import (
    backend,
    backends,
    dataset,
    datasets,
    distributions,
    function_hooks,
    functions,
    gradient_check,
    graph_optimizations,
    initializer,
    initializers,
    iterators,
    link_hooks,
    links,
    optimizer,
    optimizer_hooks,
    optimizers,
    reporter,
    serializer,
    serializers,
    testing,
    training,
    utils,
)
from polychain._runtime_info import print_runtime_info
from polychain._version import __version__ as __version__
from polychain._version import chainer_api_version as chainer_api_version
from polychain.backend import (
    get_array_module,
    get_array_types,
    get_cpu_array_types,
    get_device,
    get_device_from_array,
    is_arrays_compatible,
    list_backends,
    using_device,
)
from polychain.backends import cuda
from polychain.backends.cuda import should_use_cudnn, should_use_cudnn_tensor_core
from polychain.backprop import backward, grad
from polychain.compiler.jit import jit
from polychain.configuration import (
    DebugMode,
    config,
    force_backprop_mode,
    get_dtype,
    global_config,
    mixed16,
    no_backprop_mode,
    using_config,
)
from polychain.device_resident import DeviceResident
from polychain.distributions import Distribution, cross_entropy, kl_divergence, register_kl
from polychain.function import Function, FunctionAdapter
from polychain.function_hooks import FunctionHook, get_function_hooks
from polychain.function_node import FunctionNode
from polychain.functions.math import basic_math
from polychain.graph_optimizations.static_graph import static_graph
from polychain.graph_optimizations.static_graph_utilities import static_code
from polychain.initializer import Initializer
from polychain.link import Chain, ChainList, Link, Sequential
from polychain.link_hooks import LinkHook, get_link_hooks
from polychain.optimizer import GradientMethod, Optimizer, UpdateRule
from polychain.parameter import Parameter
from polychain.reporter import (
    DictSummary,
    Reporter,
    Summary,
    get_current_reporter,
    report,
    report_scope,
)
from polychain.serializers.serializer import AbstractSerializer, Deserializer, Serializer
from polychain.variable import Variable, VariableNode, as_array, as_variable

#: Set to True to silence the warnings of :func:`polychain.utils.experimental`.
disable_experimental_feature_warning = False

#: Chainer's switch of static graphs (run eagerly, see polychain.graph_optimizations), the
#: schedule a static chain is recording, and the compute mode read by get_compute_mode.
global_config.use_static_graph = True
global_config.schedule_func = None
global_config.compute_mode = None


class _FallbackType:
    """The type of :data:`Fallback`."""

    def __repr__(self) -> str:
        return 'Fallback'


#: Returned by ``FunctionNode.forward_chainerx`` to ask for the NumPy/CuPy ``forward``
#: instead (Chainer's sentinel; polychain has no ChainerX, so it is never asked for).
Fallback = _FallbackType()


def get_compute_mode() -> str | None:
    """``config.compute_mode``: a hint some links read (``'cudnn_fast'``), ``None`` by default."""
    return config.compute_mode


def is_debug() -> bool:
    """Whether ``config.debug`` is on."""
    return bool(config.debug)


def set_debug(debug: bool) -> None:
    """Turns NaN/Inf checking of every function output on or off globally."""
    global_config.debug = debug


__all__ = [
    'DeviceResident', 'initializer',
    'as_array', 'as_variable', 'backward', 'get_dtype', 'mixed16', 'DebugMode', 'DictSummary',
    'Summary',
    'Chain', 'ChainList', 'FunctionNode', 'Link', 'Parameter', 'Sequential', 'Variable',
    'VariableNode', 'backend', 'backends', 'config', 'force_backprop_mode', 'functions',
    'get_array_module', 'get_device', 'get_device_from_array', 'global_config', 'grad',
    'gradient_check', 'initializers', 'is_debug', 'links', 'list_backends', 'no_backprop_mode',
    'set_debug', 'using_config', 'Reporter', 'get_current_reporter', 'report', 'report_scope',
    'reporter', 'serializer', 'serializers', 'training', 'optimizer', 'optimizer_hooks',
    'optimizers', 'dataset', 'datasets', 'iterators', 'Function', 'FunctionAdapter', 'cuda',
    'disable_experimental_feature_warning', 'utils', 'print_runtime_info',
    'distributions', 'Distribution', 'kl_divergence', 'register_kl',
    'FunctionHook', 'LinkHook', 'function_hooks', 'get_function_hooks', 'get_link_hooks',
    'link_hooks', 'testing', 'basic_math', 'Initializer',
    'GradientMethod', 'Optimizer', 'UpdateRule', 'AbstractSerializer', 'Deserializer',
    'Serializer',
    'get_array_types', 'get_cpu_array_types', 'is_arrays_compatible', 'should_use_cudnn',
    'should_use_cudnn_tensor_core', 'using_device',
    'Fallback', 'cross_entropy', 'get_compute_mode', 'graph_optimizations', 'static_code',
    'static_graph', 'compiler', 'jit',
]
