"""StandardUpdater(compile=True) in a Trainer: snapshots and --autoload resume exactly."""

import numpy

import polychain
import polychain.links as L
from polychain import training
from polychain.training import extensions

from .models import MLP


def _trainer(device, out, stop: int, autoload: bool):
    numpy.random.seed(0)
    device.seed(0)
    rng = numpy.random.default_rng(0)
    data = polychain.datasets.TupleDataset(rng.standard_normal((60, 50)).astype(numpy.float32),
                                           rng.integers(0, 10, 60).astype(numpy.int32))
    model = L.Classifier(MLP(dropout=0.5))
    model.to_device(device)
    optimizer = polychain.optimizers.Adam().setup(model)
    iterator = polychain.iterators.SerialIterator(data, 20)
    updater = training.StandardUpdater(iterator, optimizer, device=device, compile=True)
    trainer = training.Trainer(updater, (stop, 'iteration'), out=str(out))
    trainer.extend(extensions.snapshot(filename='snapshot_iter_{.updater.iteration}.npz',
                                       autoload=autoload), trigger=(2, 'iteration'))
    trainer.extend(extensions.LogReport(trigger=(1, 'iteration')))
    return trainer, model, updater


def test_a_resumed_compiled_run_ends_bit_identical_to_an_uninterrupted_one(jax_device,
                                                                           tmp_path):
    trainer, model, updater = _trainer(jax_device, tmp_path / 'whole', 8, False)
    trainer.run()
    whole = {name: numpy.asarray(p.array) for name, p in model.namedparams()}
    compiled = updater._compiled['main']
    assert (compiled.trace_count, compiled.eager_count) == (2, 0)  # creating, then steady

    first, _, _ = _trainer(jax_device, tmp_path / 'parts', 4, False)
    first.run()  # stops after iteration 4, as if killed after its snapshot
    second, resumed, updater = _trainer(jax_device, tmp_path / 'parts', 8, True)
    second.run()
    assert updater.iteration == 8
    resumed_step = updater._compiled['main']
    # Nothing to create; the second program has the Variables Classifier keeps (y, loss).
    assert (resumed_step.trace_count, resumed_step.eager_count) == (2, 0)
    for name, param in resumed.namedparams():
        numpy.testing.assert_array_equal(numpy.asarray(param.array), whole[name], err_msg=name)
    losses = [entry['main/loss'] for entry in trainer.get_extension('LogReport').log]
    assert len(losses) == 8 and all(numpy.isfinite(losses))
