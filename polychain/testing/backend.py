"""Backend configurations of tests and ``inject_backend_tests``.

A backend configuration is a dict, either in Chainer's form (``{}`` for the
CPU, ``{'use_cuda': True, 'cuda_device': 0}`` for a GPU, plus ``use_cudnn``
and similar flags) or in polychain's (``{'device': '@jax:cpu:0'}``). Tests
receive it as a :class:`BackendConfig`; one whose device is not usable here
skips the test, saying why.
"""

from __future__ import annotations

import contextlib
import functools
import unittest
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pytest

from polychain.backend import BackendUnavailable, Device, get_device, list_backends, using_device
from polychain.configuration import using_config
from polychain.testing.case_bundle import GeneratedCase, make_decorator

#: Keys of a backend configuration dict and their defaults (``device`` None: derived).
_PROPS: tuple[tuple[str, Any], ...] = (
    ('device', None),
    ('use_cuda', False),
    ('cuda_device', None),
    ('use_cudnn', 'never'),
    ('cudnn_deterministic', False),
    ('autotune', False),
    ('cudnn_fast_batch_normalization', False),
    ('use_ideep', 'never'),
    ('use_chainerx', False),
    ('chainerx_device', None),
)
#: Entries of ``polychain.config`` that a configuration sets while it is entered.
_CONFIG_KEYS = ('use_cudnn', 'cudnn_deterministic', 'autotune',
                'cudnn_fast_batch_normalization', 'use_ideep')


class BackendConfig:
    """The backend a generated test runs on.

    Args:
        params: A configuration dict. ``device`` is a polychain device
            specifier (``'@numpy'``, ``'@jax:cpu:0'``, ``'@cupy:1'``);
            without it, ``use_cuda`` (with ``cuda_device``, default 0) selects
            ``'@cupy:<n>'`` and anything else ``'@numpy'``. ``use_chainerx``
            configurations always skip: polychain has no ChainerX.

    Attributes:
        device_spec: The device specifier (``None`` for ChainerX configurations).
        use_cuda: Whether the device is a CuPy one.
    """

    def __init__(self, params: dict[str, Any]) -> None:
        if not isinstance(params, dict):
            raise TypeError(f'BackendConfig: expected a dict as params, received '
                            f'{type(params).__name__}: {params!r}')
        known = dict(_PROPS)
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise ValueError(f'BackendConfig: unknown parameter(s) {unknown} in {params!r}; '
                             f'expected keys among {sorted(known)}')
        self._params = dict(params)
        for key, default in _PROPS:
            if key != 'device':  # the device is a property, resolved when a test runs
                setattr(self, key, params.get(key, default))
        self.device_spec = self._device_spec()
        self.use_cuda = bool(self.device_spec and self.device_spec.startswith('@cupy'))
        if self.use_cuda and self.cuda_device is None:  # Chainer's default GPU
            self.cuda_device = int(self.device_spec.partition(':')[2] or 0)
        self._entered: list[contextlib.ExitStack] = []

    def _device_spec(self) -> str | None:
        if self.use_chainerx:
            return None
        spec = self._params.get('device')
        if spec is None:
            if self.use_cuda:
                return f'@cupy:{self.cuda_device or 0}'
            return '@numpy'
        if self._params.get('use_cuda') or self._params.get('cuda_device') is not None:
            raise ValueError(f'BackendConfig: give either device or use_cuda/cuda_device, '
                             f'received {self._params!r}')
        spec = str(spec)
        if not spec.startswith('@'):
            raise ValueError(f'BackendConfig: expected a device specifier such as "@numpy" or '
                             f'"@jax:cpu:0" as device, received {spec!r}')
        return spec

    @property
    def device(self) -> Device:
        """The polychain :class:`~polychain.backend.Device`.

        Raises:
            unittest.SkipTest: The device cannot be used here (its library or
                hardware is missing, or the configuration asks for ChainerX).
        """
        if self.device_spec is None:
            raise unittest.SkipTest(f'{self!r}: ChainerX does not exist in polychain; use '
                                    f"{{'device': '@<backend>...'}} configurations instead")
        try:
            return get_device(self.device_spec)
        except (ValueError, BackendUnavailable) as error:
            raise unittest.SkipTest(f'device {self.device_spec} is not available here: '
                                    f'{error}') from None

    @property
    def xp(self) -> Any:
        """The array library's module of the device (``numpy``, ``cupy``, ...), as in Chainer."""
        return self.device.xp

    def get_array(self, np_array: Any) -> Any:
        """Sends a NumPy array (or a tuple, list or dict of them) to the device."""
        return self.device.send(np_array)

    def __enter__(self) -> BackendConfig:
        """Sets the configuration's ``polychain.config`` entries and makes its device current."""
        stack = contextlib.ExitStack()
        with stack:
            for key in _CONFIG_KEYS:
                stack.enter_context(using_config(key, getattr(self, key)))
            stack.enter_context(using_device(self.device))
            self._entered.append(stack.pop_all())
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._entered.pop().__exit__(*exc_info)

    def __repr__(self) -> str:
        shown = ' '.join(f'{key}={value!r}' for key, value in self._non_default_items())
        return f'<BackendConfig {self.device_spec or "chainerx"}' + (
            f' {shown}>' if shown else '>')

    def _non_default_items(self) -> Iterator[tuple[str, Any]]:
        for key, default in _PROPS:
            if key in ('device', 'use_cuda', 'cuda_device'):
                continue
            value = getattr(self, key)
            if value != default:
                yield key, value

    def get_func_str(self) -> str:
        """A string naming this configuration in generated class names."""
        if self.device_spec is None:
            parts = ['chainerx', str(self.chainerx_device or 'default')]
        else:
            parts = [self.device_spec[1:]]
        parts += [f'{key}_{value}' for key, value in self._non_default_items()
                  if key not in ('use_chainerx', 'chainerx_device')]
        return '__'.join(parts).replace(':', '_').replace('.', '_').lower()


def inject_backend_tests(method_names: list[str] | None,
                         params: list[dict[str, Any]]) -> Callable[[Any], Any]:
    """A class decorator running test methods once per backend configuration.

    The decorated methods take a :class:`BackendConfig` after ``self``. One
    subclass ``<Base>_<config>`` is generated per configuration, e.g.
    ``TestFoo_numpy`` or ``TestFoo_jax_cpu_0``; a test whose device is not
    usable here is skipped with the reason.

    Args:
        method_names: The test methods that take the configuration; ``None``
            for every method whose name starts with ``test``. Other test
            methods run once, in a class named ``<Base>_without_backend``.
        params: The configuration dicts (see :class:`BackendConfig`), e.g.
            ``[{}, {'use_cuda': True}] + available_backend_configs()``;
            repeated configurations run once.
    """
    if not (method_names is None or isinstance(method_names, list)):
        raise TypeError(f'inject_backend_tests: expected None or a list as method_names, '
                        f'received {type(method_names).__name__}: {method_names!r}')
    if not isinstance(params, list) or not all(isinstance(p, dict) for p in params):
        raise TypeError(f'inject_backend_tests: expected a list of dicts as params, '
                        f'received {params!r}')
    configs = _distinct(BackendConfig(p) for p in [*params, *_injected_devices])
    return make_decorator('inject_backend_tests',
                          lambda base: _backend_cases(base, method_names, configs))


#: Configurations added to every :func:`inject_backend_tests` (see :func:`add_injected_devices`).
_injected_devices: list[dict[str, Any]] = []


def add_injected_devices(specs: Iterable[str]) -> None:
    """Adds a configuration of each device to every later :func:`inject_backend_tests`.

    Runs Chainer-style test suites, whose configurations name only CPU and
    CUDA, on other polychain devices too (``['@jax:cpu:0']``).

    Args:
        specs: Device specifiers.
    """
    for spec in specs:
        config = {'device': spec}
        BackendConfig(config)  # validates the specifier
        if config not in _injected_devices:
            _injected_devices.append(config)


def _distinct(configs: Iterable[BackendConfig]) -> list[BackendConfig]:
    """The configurations without repeats (``{}`` and ``{'device': '@numpy'}`` are one)."""
    by_name: dict[str, BackendConfig] = {}
    for config in configs:
        by_name.setdefault(config.get_func_str(), config)
    return list(by_name.values())


def _backend_cases(base: type, method_names: Sequence[str] | None,
                   configs: Sequence[BackendConfig]) -> Iterator[GeneratedCase]:
    def takes_config(method: Callable[..., Any]) -> bool:
        return method_names is None or method.__name__ in method_names

    if method_names is not None:
        yield (f'{base.__name__}_without_backend', {},
               lambda method: None if takes_config(method) else method)
    for config in configs:
        yield (f'{base.__name__}_{config.get_func_str()}', {},
               functools.partial(_bind_config, config, takes_config))


def _bind_config(config: BackendConfig, takes_config: Callable[[Any], bool],
                 method: Callable[..., Any]) -> Any:
    if not takes_config(method):
        return None

    @functools.wraps(method)
    def backend_test(self: Any, *args: Any, **kwargs: Any) -> Any:
        return method(self, config, *args, **kwargs)
    for mark in hardware_marks(config):
        backend_test = mark(backend_test)
    return backend_test


#: The marks, taken when this module is imported (Chainer's conftest later rebinds
#: ``pytest.mark.chainerx`` to a skip where ChainerX is missing).
_MARKS = {name: getattr(pytest.mark, name) for name in ('gpu', 'cudnn', 'chainerx', 'ideep')}


def hardware_marks(config: BackendConfig) -> list[pytest.MarkDecorator]:
    """Chainer's marks of a configuration's hardware: ``gpu``, ``cudnn``, ``chainerx``, ``ideep``.

    ``pytest -m "not gpu"`` deselects the CUDA configurations, as in Chainer.
    """
    on_gpu = config.use_cuda or (config.use_chainerx and
                                 str(config.chainerx_device).startswith('cuda'))
    needs = {'gpu': on_gpu, 'cudnn': config.use_cuda and config.use_cudnn != 'never',
             'chainerx': config.use_chainerx, 'ideep': config.use_ideep != 'never'}
    return [_MARKS[name] for name, needed in needs.items() if needed]


def available_backend_configs(all_devices: bool = False,
                              include_unavailable: bool = False) -> list[dict[str, Any]]:
    """Backend configurations for the polychain devices usable here.

    Listing loads every registered backend (it imports their array libraries).

    Args:
        all_devices: One configuration per device of each backend instead of
            one for its default device.
        include_unavailable: Add ``{'device': '@<name>'}`` for each registered
            backend that cannot be used here; its tests skip, giving the reason.

    Returns:
        Dicts ``{'device': spec}`` for :func:`inject_backend_tests`.
    """
    configs = []
    for info in list_backends():
        if info.available:
            devices = info.devices if all_devices else info.devices[:1]
            configs += [{'device': spec} for spec in devices]
        elif include_unavailable:
            configs.append({'device': f'@{info.name}'})
    return configs
