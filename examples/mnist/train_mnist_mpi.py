"""Train the tutorial's multi-layer perceptron data-parallel over MPI processes.

Each process trains on its share of Fashion-MNIST (or MNIST); the gradients are
averaged over the processes at every step, so two processes with ``--batchsize
50`` each follow one process with ``--batchsize 100``:

    mpiexec -n 2 python examples/mnist/train_mnist_mpi.py
    mpiexec -n 2 python examples/mnist/train_mnist_mpi.py --communicator flat --device @jax:cpu:0

Needs the ``[mpi]`` extra (mpi4py and MPICH, whose ``mpiexec`` lands in the
virtualenv's ``bin``). Every epoch each process saves a checkpoint in ``--out``;
started again with the same command after a failure, the job resumes from the
newest checkpoint all processes have. Rank 0 prints the log.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

import polychain as chainer
import polychain.chainermn as chainermn
import polychain.links as L
from polychain import datasets, iterators, optimizers, training
from polychain.training import extensions

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_mnist import MLP  # noqa: E402  (the same network as the one-process example)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--communicator', default='naive',
                        help="naive, flat or pure_nccl (pure_nccl needs CuPy's NCCL)")
    parser.add_argument('--dataset', choices=('mnist', 'fashion-mnist'), default='fashion-mnist')
    parser.add_argument('--device', '-d', default='@numpy',
                        help='device specifier, e.g. @numpy, @jax:cpu:0; @cupy takes the GPU '
                             'of the process\'s rank on its node')
    parser.add_argument('--epoch', '-e', type=int, default=20)
    parser.add_argument('--batchsize', '-b', type=int, default=100,
                        help='examples per process and step')
    parser.add_argument('--unit', '-u', type=int, default=100)
    parser.add_argument('--lr', type=float, default=0.01)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', '-o', default='result_mpi')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> training.Trainer:
    """Trains on every process; rank 0 prints the log and, at the end, a summary line."""
    args = parse_args(argv)
    start = time.monotonic()
    comm = chainermn.create_communicator(args.communicator)
    spec = f'@cupy:{comm.intra_rank}' if args.device == '@cupy' else args.device
    device = chainer.get_device(spec)
    np.random.seed(args.seed)
    if comm.rank == 0:
        print(f'{comm.size} processes, {args.communicator} communicator, {spec}; writing to '
              f'{os.path.abspath(args.out)}', flush=True)

    if comm.rank == 0:
        get_data = datasets.get_mnist if args.dataset == 'mnist' else datasets.get_fashion_mnist
        train, test = get_data()
    else:
        train, test = None, None
    train = chainermn.scatter_dataset(train, comm, shuffle=True, seed=args.seed)
    test = chainermn.scatter_dataset(test, comm, shuffle=True, seed=args.seed)
    train_iter = iterators.SerialIterator(train, batch_size=args.batchsize, shuffle=True)
    test_iter = iterators.SerialIterator(test, batch_size=args.batchsize, repeat=False,
                                         shuffle=False)

    model = L.Classifier(MLP(args.unit, 10))
    model.to_device(device)
    optimizer = chainermn.create_multi_node_optimizer(optimizers.SGD(lr=args.lr), comm)
    optimizer.setup(model)

    updater = training.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    evaluator = extensions.Evaluator(test_iter, model, device=device)
    trainer.extend(chainermn.create_multi_node_evaluator(evaluator, comm))
    checkpointer = chainermn.create_multi_node_checkpointer('mnist', comm, path=args.out)
    trainer.extend(checkpointer, trigger=(1, 'epoch'))
    if comm.rank == 0:
        trainer.extend(extensions.LogReport())
        trainer.extend(extensions.PrintReport(
            ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
             'validation/main/accuracy', 'elapsed_time']))
    checkpointer.maybe_load(trainer, optimizer)
    if trainer.updater.iteration and comm.rank == 0:
        print(f'Resumed from the checkpoint of iteration {trainer.updater.iteration}', flush=True)
    trainer.run()
    if comm.rank == 0:
        print(f'Finished {trainer.updater.epoch} epochs on {comm.size} processes in '
              f'{time.monotonic() - start:.1f} s', flush=True)
    return trainer


if __name__ == '__main__':
    main()
