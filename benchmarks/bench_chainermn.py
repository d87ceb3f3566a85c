"""Data-parallel throughput over MPI: MLP-1000 on Fashion-MNIST, per communicator.

Run under ``mpiexec`` with 1 and 2 processes and compare; the global batch is
fixed (``--batch`` split over the processes), so samples/s compare directly:

    mpiexec -n 1 python benchmarks/bench_chainermn.py --communicator naive flat
    mpiexec -n 2 python benchmarks/bench_chainermn.py --communicator naive flat

Rank 0 prints, per communicator, samples per second over all processes and the
share of the step spent in ``multi_node_mean_grad`` (the gradient allreduce,
host copies included), after ``--warmup`` untimed steps.
"""

from __future__ import annotations

import argparse
import time

import numpy

import polychain
import polychain.chainermn as chainermn
import polychain.functions as F
import polychain.links as L
from polychain import datasets, optimizers


class MLP(polychain.Chain):
    def __init__(self, n_units: int) -> None:
        super().__init__()
        with self.init_scope():
            self.l1 = L.Linear(784, n_units)
            self.l2 = L.Linear(n_units, n_units)
            self.l3 = L.Linear(n_units, 10)

    def forward(self, x):
        return self.l3(F.relu(self.l2(F.relu(self.l1(x)))))


def measure(name: str, args: argparse.Namespace, x: numpy.ndarray, t: numpy.ndarray) -> None:
    comm = chainermn.create_communicator(name)
    device = polychain.get_device(args.device)
    local = args.batch // comm.size
    model = MLP(args.units)
    model.to_device(device)
    optimizer = chainermn.create_multi_node_optimizer(optimizers.SGD(lr=0.01), comm)
    optimizer.setup(model)
    optimizer.update()  # the first update broadcasts rank 0's parameters
    reduce_seconds = [0.0]
    mean_grad = comm.multi_node_mean_grad

    def timed_mean_grad(*a, **k):
        start = time.perf_counter()
        mean_grad(*a, **k)
        reduce_seconds[0] += time.perf_counter() - start

    comm.multi_node_mean_grad = timed_mean_grad
    rng = numpy.random.RandomState(comm.rank)
    batches = [rng.randint(0, len(x), local) for _ in range(args.warmup + args.steps)]
    comm.mpi_comm.Barrier()
    for i, index in enumerate(batches):
        if i == args.warmup:
            comm.mpi_comm.Barrier()
            start, reduce_seconds[0] = time.perf_counter(), 0.0
        loss = F.softmax_cross_entropy(model(device.send(x[index])), device.send(t[index]))
        model.cleargrads()
        loss.backward()
        optimizer.update()
    comm.mpi_comm.Barrier()
    seconds = time.perf_counter() - start
    shares = comm.gather_obj(reduce_seconds[0] / seconds)
    if comm.rank == 0:
        print(f'{comm.size} process(es), {name:5s}, {args.device}: '
              f'{args.steps * local * comm.size / seconds:8.0f} samples/s, allreduce '
              f'{100 * max(shares):4.1f} % of the step (global batch {args.batch})', flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--communicator', nargs='+', default=['naive', 'flat'])
    parser.add_argument('--device', default='@numpy')
    parser.add_argument('--units', type=int, default=1000)
    parser.add_argument('--batch', type=int, default=100, help='global batch size')
    parser.add_argument('--steps', type=int, default=60)
    parser.add_argument('--warmup', type=int, default=5)
    args = parser.parse_args()
    train, _ = datasets.get_fashion_mnist()
    x, t = (numpy.asarray(a) for a in train._datasets)
    for name in args.communicator:
        measure(name, args, x, t)


if __name__ == '__main__':
    main()
