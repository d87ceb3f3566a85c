"""Data sets, iterators, evaluators and extensions over two ranks (``mpi`` tests)."""

from __future__ import annotations

import numpy
import pytest

import polychain
import polychain.links as L
from polychain import backend, iterators
from polychain.datasets import TupleDataset
from polychain.training import extensions

pytestmark = pytest.mark.mpi


@pytest.fixture
def chainermn():
    import polychain.chainermn

    return polychain.chainermn


@pytest.fixture
def comm(chainermn):
    communicator = chainermn.create_communicator('naive')
    yield communicator
    communicator.mpi_comm.Barrier()


@pytest.mark.parametrize('length', [0, 1, 7, 10])
@pytest.mark.parametrize('shuffle', [False, True])
@pytest.mark.parametrize('root', [0, 1])
def test_scatter_dataset_gives_equal_parts_covering_the_data(chainermn, comm, length, shuffle,
                                                             root):
    mine = chainermn.scatter_dataset(list(range(length)) if comm.rank == root else None, comm,
                                     shuffle=shuffle, root=root)
    parts = comm.mpi_comm.allgather(list(mine))
    assert len(parts[0]) == len(parts[1]) == (length + 1) // 2
    assert set(parts[0]) | set(parts[1]) == set(range(length))


def test_multi_node_iterator_gives_every_rank_the_master_batches(chainermn, comm):
    data = list(zip(numpy.arange(10.0), numpy.arange(10)))
    iterator = chainermn.create_multi_node_iterator(
        iterators.SerialIterator(data if comm.rank == 1 else [], 4), comm, rank_master=1)
    batches = [(iterator.next(), iterator.epoch, iterator.is_new_epoch) for _ in range(5)]
    everyone = comm.mpi_comm.allgather(repr(batches))
    assert everyone[0] == everyone[1]
    assert [epoch for _, epoch, _ in batches] == [0, 0, 1, 1, 2]


def test_synchronized_iterators_draw_the_same_orders(chainermn, comm):
    numpy.random.seed(comm.rank)  # different seeds: the iterator must not depend on them
    iterator = chainermn.create_synchronized_iterator(
        iterators.SerialIterator(numpy.arange(20.0), 6, shuffle=True), comm)
    batches = [numpy.asarray(iterator.next()).tolist() for _ in range(8)]
    everyone = comm.mpi_comm.allgather(batches)
    assert everyone[0] == everyone[1]


def test_multi_node_evaluator_reports_the_mean_over_ranks(chainermn, comm):
    class Reporter(polychain.Chain):
        def forward(self, x):
            polychain.report({'value': numpy.mean(backend.to_host(x))}, self)

    model = Reporter()
    data = numpy.full((4, 1), 10.0 * (comm.rank + 1))
    evaluator = extensions.Evaluator(iterators.SerialIterator(data, 2, repeat=False), model)
    evaluator = chainermn.create_multi_node_evaluator(evaluator, comm)
    result = evaluator()
    assert float(result['main/value']) == 15.0, result


def test_generic_evaluator_aggregates_on_root(chainermn, comm):
    from polychain.chainermn.extensions import GenericMultiNodeEvaluator

    dataset = TupleDataset(numpy.arange(comm.rank, 9, 2, dtype='f'))
    evaluator = GenericMultiNodeEvaluator(
        comm, iterators.SerialIterator(dataset, 2, repeat=False, shuffle=False),
        lambda x: x * 2)
    result = evaluator()
    if comm.rank == 0:
        values = sorted(float(v) for batch in result for v in numpy.ravel(batch))
        assert values == [2.0 * v for v in range(9)]
    else:
        assert result is None


@pytest.mark.parametrize('spec', ['@numpy', '@jax:cpu:0'])
def test_allreduce_persistent_averages_running_statistics(chainermn, comm, spec):
    device = polychain.get_device(spec)
    model = polychain.Sequential(L.BatchNormalization(3))
    model.to_device(device)
    bn = model[0]
    bn.avg_mean = device.send(numpy.full(3, 2.0 * comm.rank, 'f'))
    chainermn.extensions.AllreducePersistent(model, comm)()
    assert backend.get_device_from_array(bn.avg_mean) == device
    numpy.testing.assert_array_equal(backend.to_host(bn.avg_mean), numpy.ones(3, 'f'))


def test_observation_aggregator_reports_the_mean_over_ranks_and_iterations(chainermn, comm):
    from polychain.chainermn.extensions import ObservationAggregator

    class Trainer:
        observation: dict = {}

    trainer = Trainer()
    aggregator = ObservationAggregator(comm, 'v', 'v-mean', comm_trigger=lambda _: True)
    trainer.observation = {'v': numpy.float32(comm.rank * 4)}
    aggregator(trainer)
    assert float(trainer.observation['v-mean']) == 2.0


def test_multi_node_early_stopping_uses_the_mean_over_ranks(chainermn, comm):
    from polychain.chainermn.extensions import MultiNodeEarlyStoppingTrigger

    class Updater:
        iteration, epoch, epoch_detail, is_new_epoch = 0, 0, 0.0, False

    class Trainer:
        updater = Updater()
        observation: dict = {}

    trainer = Trainer()
    trigger = MultiNodeEarlyStoppingTrigger(comm, monitor='main/loss', patience=2,
                                            check_trigger=(1, 'iteration'))
    # rank 0's loss keeps falling, rank 1's rises faster: the mean rises, so both stop
    losses = [[1.0, 0.9, 0.8, 0.7], [1.0, 1.5, 2.0, 2.5]][comm.rank]
    fired = []
    for i, loss in enumerate(losses, 1):
        trainer.updater.iteration = i
        trainer.updater.epoch_detail = i / 100
        trainer.observation = {'main/loss': loss}
        fired.append(bool(trigger(trainer)))
    assert comm.mpi_comm.allgather(fired)[0] == comm.mpi_comm.allgather(fired)[1]
    assert fired[-1]
