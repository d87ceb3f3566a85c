"""A small data-parallel training job for the fault tests, run under ``mpiexec -n 2``.

    fault_job.py OUT [--iterations N] [--raise-at I | --kill-at I] [--device SPEC]

Rank 1 raises (``--raise-at``) or kills itself with SIGKILL (``--kill-at``) when
iteration ``I`` ends. Every rank checkpoints every 5 iterations with the
multi-node checkpointer and resumes from the newest common checkpoint; at the
end rank 0 writes the parameters to ``OUT/final.npz``.
"""

from __future__ import annotations

import argparse
import os
import signal

import numpy

import polychain
import polychain.chainermn as chainermn
import polychain.functions as F
import polychain.links as L
from polychain import iterators, optimizers, training
from polychain.datasets import TupleDataset


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('out')
    parser.add_argument('--iterations', type=int, default=40)
    parser.add_argument('--raise-at', type=int, default=0)
    parser.add_argument('--kill-at', type=int, default=0)
    parser.add_argument('--device', default='@numpy')
    args = parser.parse_args()

    comm = chainermn.create_communicator('flat')
    numpy.random.seed(comm.rank)  # each rank's batches are drawn in an order of its own
    device = polychain.get_device(args.device)
    rng = numpy.random.RandomState(0)
    x = rng.normal(size=(400, 5))
    t = (x.sum(axis=1) > 0).astype(numpy.int32)
    data = chainermn.scatter_dataset(TupleDataset(x, t) if comm.rank == 0 else None, comm)
    model = L.Classifier(L.Linear(5, 2, initialW=rng.normal(size=(2, 5)), initial_bias=0.0),
                         lossfun=F.softmax_cross_entropy)
    for _, param in model.namedparams():
        param.array = param.array.astype(numpy.float64)
    model.to_device(device)
    optimizer = chainermn.create_multi_node_optimizer(optimizers.MomentumSGD(lr=0.05), comm)
    optimizer.setup(model)
    updater = training.StandardUpdater(
        iterators.SerialIterator(data, 10, shuffle=True), optimizer, device=device)
    trainer = training.Trainer(updater, (args.iterations, 'iteration'), out=args.out)
    checkpointer = chainermn.create_multi_node_checkpointer('job', comm, path=args.out)
    trainer.extend(checkpointer, trigger=(5, 'iteration'))

    @training.make_extension(trigger=(1, 'iteration'))
    def fail(trainer):
        iteration = trainer.updater.iteration
        if comm.rank == 1 and iteration == args.raise_at:
            raise RuntimeError(f'rank 1 fails on purpose at iteration {iteration}')
        if comm.rank == 1 and iteration == args.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    trainer.extend(fail)
    checkpointer.maybe_load(trainer, optimizer)
    print(f'rank {comm.rank}: starting at iteration {trainer.updater.iteration}', flush=True)
    trainer.run()
    if comm.rank == 0:
        params = {name: polychain.backend.to_host(p.array) for name, p in model.namedparams()}
        numpy.savez(os.path.join(args.out, 'final.npz'), **params)


if __name__ == '__main__':
    main()
