"""MultiprocessParallelUpdater: one worker process per extra device, gradients summed."""

import warnings

import numpy
import pytest

import polychain
from polychain import iterators, optimizers, training
from polychain.dataset import concat_examples
from polychain.training.updaters import multiprocess_parallel_updater as mpu
from polychain.training.updaters._packing import pack, unpack

from .training_setup import BATCH_SIZE, make_dataset, make_model

LR = 0.2


def split_iterators(n, dataset=None):
    dataset = dataset if dataset is not None else make_dataset()
    return [iterators.SerialIterator(part, BATCH_SIZE, shuffle=False)
            for part in polychain.datasets.split_dataset_n(dataset, n)]


def make_updater(devices, **kwargs):
    model = make_model()
    optimizer = optimizers.SGD(lr=LR)
    optimizer.setup(model)
    with pytest.warns(UserWarning, match='lr is changed'):
        updater = mpu.MultiprocessParallelUpdater(split_iterators(len(devices)), optimizer,
                                                  devices=devices, **kwargs)
    return updater, model


def steps_by_hand(n_devices, n_steps):
    """The parameters after ``n_steps`` SGD steps (lr / n) on the summed gradients."""
    model = make_model()
    parts = polychain.datasets.split_dataset_n(make_dataset(), n_devices)
    for step in range(n_steps):
        model.cleargrads()
        for part in parts:
            x, t = concat_examples(part[step * BATCH_SIZE:(step + 1) * BATCH_SIZE])
            model(x, t).backward()
        for param in model.params():
            param.array = param.array - LR / n_devices * param.grad
    return {path: p.array for path, p in model.namedparams()}


def check_params(model, expected):
    for path, param in model.namedparams():
        numpy.testing.assert_allclose(polychain.backend.to_host(param.array), expected[path],
                                      rtol=1e-5, atol=1e-6)


def test_two_numpy_processes_sum_their_gradients():
    updater, model = make_updater(['@numpy', '@numpy'])
    try:
        updater.update()
        updater.update()
        assert len(updater._workers) == 1 and updater._workers[0].is_alive()
    finally:
        updater.finalize()
    assert not updater._workers
    check_params(model, steps_by_hand(2, 2))


def test_numpy_and_jax_processes():
    pytest.importorskip('jax')
    updater, model = make_updater(('@jax:cpu:0', '@numpy'))
    assert updater._start_method != 'fork'  # JAX's threads do not survive a fork
    try:
        updater.update()
    finally:
        updater.finalize()
    assert model.device == polychain.get_device('@jax:cpu:0')
    check_params(model, steps_by_hand(2, 1))


def test_one_device_trains_in_this_process(tmp_path):
    updater, model = make_updater({'main': '@numpy'})
    trainer = training.Trainer(updater, (1, 'epoch'), out=str(tmp_path))
    trainer.run()
    assert not updater._workers
    check_params(model, steps_by_hand(1, len(make_dataset()) // BATCH_SIZE))


def test_a_failing_worker_raises_with_its_traceback():
    model = make_model()
    optimizer = optimizers.SGD(lr=LR)
    optimizer.setup(model)
    bad = polychain.datasets.TupleDataset(numpy.zeros((20, 4), 'f'), numpy.zeros(20, 'i'))
    iters = split_iterators(2)[:1] + [iterators.SerialIterator(bad, BATCH_SIZE)]
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        updater = mpu.MultiprocessParallelUpdater(iters, optimizer, devices=('@numpy', '@numpy'))
    try:
        with pytest.raises(RuntimeError, match='worker of @numpy failed'):
            updater.update()
    finally:
        updater.finalize()


def test_hyperparameters_follow_the_number_of_devices():
    for optimizer, name, expected in ((optimizers.Adam(eps=1e-8), 'eps', 3e-8),
                                      (optimizers.RMSpropGraves(eps=1e-4), 'eps', 9e-4),
                                      (optimizers.MomentumSGD(lr=0.3), 'lr', 0.1)):
        optimizer.setup(make_model())
        with pytest.warns(UserWarning, match=f'{name} is changed'):
            mpu.MultiprocessParallelUpdater(split_iterators(3), optimizer,
                                            devices=['@numpy'] * 3)
        assert getattr(optimizer, name) == pytest.approx(expected)


def test_invalid_devices():
    optimizer = optimizers.SGD()
    optimizer.setup(make_model())
    with pytest.raises(ValueError, match='one iterator per device'):
        mpu.MultiprocessParallelUpdater(split_iterators(2), optimizer, devices=['@numpy'])
    with pytest.raises(ValueError, match='dict, list or tuple'):
        mpu.MultiprocessParallelUpdater(split_iterators(1), optimizer, devices='@numpy')
    with pytest.raises(ValueError, match='must be specified'):
        mpu.MultiprocessParallelUpdater(split_iterators(1), optimizer, devices=[None])
    with pytest.raises(ValueError, match="'main'"):
        mpu.MultiprocessParallelUpdater(split_iterators(1), optimizer, devices={'a': '@numpy'})


def test_available():
    assert mpu.MultiprocessParallelUpdater.available() is True


def test_gather_helpers_need_a_gpu():
    model = make_model()
    with pytest.raises(RuntimeError, match='only on GPU'):
        mpu.gather_grads(model)
    with pytest.raises(RuntimeError, match='only on GPU'):
        mpu.gather_params(model)


def test_pack_and_unpack_round_trip(device):
    source, target = make_model(), make_model(seed=5)
    source.to_device(device)
    target.to_device(device)
    x, t = concat_examples(make_dataset()[:4], device)
    source.cleargrads()
    source(x, t).backward()
    flat = pack(source, 'grad')
    assert flat.shape == (8,) and flat.dtype == device.namespace.float32
    target.cleargrads()
    target(x, t).backward()
    unpack(target, flat, 'grad')
    mpu.scatter_params(target, pack(source, 'array'))
    for (_, mine), (_, theirs) in zip(sorted(target.namedparams()),
                                      sorted(source.namedparams()), strict=True):
        numpy.testing.assert_array_equal(polychain.backend.to_host(mine.grad),
                                         polychain.backend.to_host(theirs.grad))
        numpy.testing.assert_array_equal(polychain.backend.to_host(mine.array),
                                         polychain.backend.to_host(theirs.array))


def test_pack_keeps_float64_and_checks_sizes():
    model = make_model()
    model.to_device('@numpy')
    for param in model.params():
        param.array = param.array.astype(numpy.float64)
    flat = pack(model, 'array')
    assert flat.dtype == numpy.float64
    with pytest.raises(ValueError, match='packs 8 elements'):
        unpack(model, flat[:5], 'array')


def test_unpicklable_converter_with_a_fork_server():
    model = make_model()
    optimizer = optimizers.SGD(lr=LR)
    optimizer.setup(model)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        updater = mpu.MultiprocessParallelUpdater(
            split_iterators(2), optimizer, devices=['@numpy', '@numpy'],
            converter=lambda batch, device: concat_examples(batch, device),
            start_method='forkserver')
    with pytest.raises(RuntimeError, match='must be picklable'):
        updater.update()
    assert not updater._workers
