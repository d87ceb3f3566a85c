"""MultithreadIterator and MultiprocessIterator give SerialIterator's batches; they never hang.

Every test that starts workers runs under ``within_deadline``, so a stuck
worker fails the test instead of blocking the run.
"""

import copy
import multiprocessing
import os
import subprocess
import sys
import threading

import numpy
import pytest

from polychain.datasets import TransformDataset
from polychain.iterators import (
    MultiprocessIterator,
    MultithreadIterator,
    SerialIterator,
    ShuffleOrderSampler,
)
from polychain.iterators.multiprocess_iterator import default_start_method

DEADLINE_SECONDS = 120


def within_deadline(function):
    """Runs ``function`` in a thread; fails the test if it has not returned by the deadline."""
    outcome = {}

    def target():
        try:
            outcome['value'] = function()
        except BaseException as error:  # re-raised in the test's thread
            outcome['error'] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(DEADLINE_SECONDS)
    if thread.is_alive():
        pytest.fail(f'the iterator did not finish within {DEADLINE_SECONDS} s')
    if 'error' in outcome:
        raise outcome['error']
    return outcome['value']


class FailingDataset:
    """Ten examples; reading example 7 raises."""

    def __len__(self):
        return 10

    def __getitem__(self, index):
        if index == 7:
            raise IndexError('example 7 is unreadable')
        return numpy.full(2, index)


class WorkerIds:
    """``size`` examples; each is the id of the process that read it."""

    def __init__(self, size):
        self.size = size

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        return os.getpid()


def make_thread_iterator(dataset, batch_size, **kwargs):
    return MultithreadIterator(dataset, batch_size, n_threads=2, **kwargs)


def make_process_iterator(dataset, batch_size, **kwargs):
    return MultiprocessIterator(dataset, batch_size, n_processes=2, n_prefetch=2, **kwargs)


PARALLEL = pytest.mark.parametrize('make', [make_thread_iterator, make_process_iterator],
                                   ids=['threads', 'processes'])


def seeded_sampler():
    return ShuffleOrderSampler(numpy.random.RandomState(7))


def bookkeeping(iterator):
    return (iterator.epoch, iterator.current_position, iterator.is_new_epoch,
            iterator.epoch_detail, iterator.previous_epoch_detail)


@PARALLEL
@pytest.mark.parametrize('shuffle', [False, True])
def test_repeating_batches_match_the_serial_iterator(make, shuffle):
    dataset = [numpy.array([i, -i]) for i in range(10)]
    sampler = seeded_sampler if shuffle else (lambda: None)
    serial = SerialIterator(dataset, 3, shuffle=None if shuffle else False,
                            order_sampler=sampler())

    def run():
        with make(dataset, 3, shuffle=None if shuffle else False,
                  order_sampler=sampler()) as parallel:
            for _ in range(9):
                expected, received = serial.next(), parallel.next()
                numpy.testing.assert_array_equal(received, expected)
                assert bookkeeping(parallel) == bookkeeping(serial)

    within_deadline(run)


@PARALLEL
def test_non_repeating_iterator_stops_and_resets(make):
    def run():
        with make(list(range(7)), 3, repeat=False, shuffle=False) as iterator:
            first = list(iterator)
            with pytest.raises(StopIteration):
                iterator.next()
            iterator.reset()
            return first, list(iterator), iterator.epoch

    first, second, epoch = within_deadline(run)
    assert first == second == [[0, 1, 2], [3, 4, 5], [6]]
    assert epoch == 1


@PARALLEL
def test_a_copy_starts_from_the_same_position_with_its_own_workers(make):
    def run():
        with make(list(range(5)), 2, repeat=False, shuffle=False) as iterator:
            iterator.next()
            copied = copy.copy(iterator)
            rest = list(iterator)
            copied_rest = list(copied)
            copied.finalize()
            return rest, copied_rest

    rest, copied_rest = within_deadline(run)
    assert rest == copied_rest == [[2, 3], [4]]


@PARALLEL
def test_serialize_round_trip_discards_prefetched_batches(make, serializers):
    DictSerializer, DictDeserializer = serializers
    dataset = list(range(10))

    def run():
        with make(dataset, 4, order_sampler=seeded_sampler()) as original, \
                make(dataset, 4, order_sampler=seeded_sampler()) as restored:
            for _ in range(3):
                original.next()
            restored.next()
            saver = DictSerializer()
            original.serialize(saver)
            restored.serialize(DictDeserializer(saver.target))
            assert bookkeeping(restored) == bookkeeping(original)
            return [original.next() for _ in range(4)], [restored.next() for _ in range(4)]

    expected, received = within_deadline(run)
    assert received == expected


@PARALLEL
def test_worker_errors_reach_the_caller(make):
    def run():
        with make(FailingDataset(), 5, shuffle=False) as iterator:
            iterator.next()
            iterator.next()

    with pytest.raises(IndexError, match='example 7 is unreadable'):
        within_deadline(run)


@pytest.mark.parametrize('max_tasks', [1, 2])
def test_workers_are_replaced_after_maxtasksperchild_chunks(max_tasks):
    # Python 3.11's ProcessPoolExecutor(max_tasks_per_child=...) could stop here for good.
    def run():
        with MultiprocessIterator(WorkerIds(24), 2, repeat=False, shuffle=False, n_processes=2,
                                  n_prefetch=2, maxtasksperchild=max_tasks) as iterator:
            return [pid for batch in iterator for pid in batch]

    pids = within_deadline(run)
    assert len(pids) == 24 and os.getpid() not in pids
    # Each batch of 2 is one chunk per process: no worker read more than max_tasks chunks.
    assert max(pids.count(pid) for pid in set(pids)) <= max_tasks
    assert len(set(pids)) >= 24 // max_tasks


def test_unpicklable_dataset_explains_the_start_method():
    dataset = TransformDataset(list(range(4)), lambda value: value + 1)

    def run():
        with MultiprocessIterator(dataset, 2, n_processes=1,
                                  start_method=default_start_method()) as iterator:
            iterator.next()

    with pytest.raises(RuntimeError, match='MultiprocessIterator: .*picklable.*"fork"'):
        within_deadline(run)


FORK_SCRIPT = """
from polychain.datasets import TransformDataset
from polychain.iterators import MultiprocessIterator
dataset = TransformDataset(list(range(4)), lambda value: value + 1)
with MultiprocessIterator(dataset, 2, shuffle=False, n_processes=1,
                          start_method='fork') as iterator:
    print(iterator.next())
"""
FORK_CHECK = """
print(iterator.start_method)
"""


@pytest.mark.parametrize('start_method', ["'fork'", 'None'])
def test_fork_start_method_shares_unpicklable_datasets(start_method):
    # A fresh interpreter: forking this one, which may run JAX's threads, could deadlock.
    # Without a start_method, an unpicklable dataset (a local transform, as in Chainer's
    # image_captioning example) makes the workers fork, as Chainer's always do.
    script = FORK_SCRIPT.replace("start_method='fork'", f'start_method={start_method}')
    result = subprocess.run([sys.executable, '-c', script + FORK_CHECK], capture_output=True,
                            text=True, timeout=DEADLINE_SECONDS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['[1,', '2]', 'fork']


def test_invalid_worker_counts_are_rejected():
    with pytest.raises(ValueError, match='MultithreadIterator: expected at least one worker'):
        MultithreadIterator([0], 1, n_threads=0)
    with pytest.raises(ValueError, match='MultiprocessIterator: expected n_prefetch >= 0'):
        MultiprocessIterator([0], 1, n_processes=1, n_prefetch=-1)


def test_a_finalized_multiprocess_iterator_cannot_be_reset():
    iterator = make_process_iterator(list(range(4)), 2, repeat=False)
    within_deadline(iterator.next)
    iterator.finalize()
    with pytest.raises(NotImplementedError, match='finalized'):
        iterator.reset()


@PARALLEL
def test_a_pickled_iterator_resumes_from_the_same_position(make):
    import pickle

    def run():
        with make(list(range(6)), 2, shuffle=False) as iterator:
            iterator.next()
            copied = pickle.loads(pickle.dumps(iterator))
            batch, epoch_detail = copied.next(), copied.epoch_detail
            copied.finalize()
            return batch, epoch_detail

    batch, epoch_detail = within_deadline(run)
    assert batch == [2, 3] and epoch_detail == pytest.approx(4 / 6)


TOP_LEVEL_SCRIPT = """
import numpy
from polychain.iterators import MultiprocessIterator
print('script ran')
with MultiprocessIterator(numpy.arange(6), 3, shuffle=False, n_processes=2) as iterator:
    print([int(value) for value in iterator.next()], iterator.start_method)
"""
GUARDED_SCRIPT = """
import numpy
from polychain.iterators import MultiprocessIterator

if __name__ == '__main__':
    print('script ran')
    with MultiprocessIterator(numpy.arange(6), 3, shuffle=False, n_processes=2) as iterator:
        print([int(value) for value in iterator.next()], iterator.start_method)
"""


@pytest.mark.parametrize('script, start_method', [
    (TOP_LEVEL_SCRIPT, 'fork'), (GUARDED_SCRIPT, 'forkserver')])
def test_a_script_without_a_main_guard_gets_forked_workers(tmp_path, script, start_method):
    # A fork server or spawned worker runs the main script again: one that trains at its top
    # level (as some of Chainer's examples do) would start over in every worker.
    if 'forkserver' not in multiprocessing.get_all_start_methods():
        pytest.skip('this platform has no fork server')
    path = tmp_path / 'train.py'
    path.write_text(script)
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                            timeout=DEADLINE_SECONDS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ['script ran', f'[0, 1, 2] {start_method}']
