"""Train the tutorial's multi-layer perceptron on MNIST or Fashion-MNIST with the Trainer.

This is the tutorial's code, with command-line options around it:

    python examples/mnist/train_mnist.py --dataset fashion-mnist --epoch 20
    python examples/mnist/train_mnist.py --device @jax:cpu:0
    python examples/mnist/train_mnist.py --autoload       # resume from the newest snapshot

Fashion-MNIST is read from the dataset cache or from Debian's package
``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``).
"""

from __future__ import annotations

import argparse

import numpy as np

import polychain as chainer
import polychain.functions as F
import polychain.links as L
from polychain import Chain, datasets, iterators, optimizers, serializers, training
from polychain.training import extensions


class MLP(Chain):
    """The tutorial's network: three fully connected layers with ReLU between them."""

    def __init__(self, n_units: int, n_out: int) -> None:
        super().__init__()
        with self.init_scope():
            # the size of the inputs to each layer will be inferred
            self.l1 = L.Linear(None, n_units)  # n_in -> n_units
            self.l2 = L.Linear(None, n_units)  # n_units -> n_units
            self.l3 = L.Linear(None, n_out)  # n_units -> n_out

    def __call__(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        return self.l3(h2)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dataset', choices=('mnist', 'fashion-mnist'), default='fashion-mnist')
    parser.add_argument('--device', '-d', default='@numpy',
                        help='device specifier, e.g. @numpy, @jax:cpu:0, @cupy:0')
    parser.add_argument('--epoch', '-e', type=int, default=20)
    parser.add_argument('--batchsize', '-b', type=int, default=100)
    parser.add_argument('--unit', '-u', type=int, default=100)
    parser.add_argument('--lr', type=float, default=0.01)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', '-o', default='result')
    parser.add_argument('--resume', '-r', default='', help='snapshot file to resume from')
    parser.add_argument('--autoload', action='store_true',
                        help='resume from the newest snapshot in --out, if there is one')
    parser.add_argument('--snapshot-interval', type=int, default=1,
                        help='epochs between snapshots')
    parser.add_argument('--no-progress', action='store_true', help='hide the progress bar')
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> training.Trainer:
    args = parse_args(argv)
    np.random.seed(args.seed)
    device = chainer.get_device(args.device)

    get_data = datasets.get_mnist if args.dataset == 'mnist' else datasets.get_fashion_mnist
    train, test = get_data()
    train_iter = iterators.SerialIterator(train, batch_size=args.batchsize, shuffle=True)
    test_iter = iterators.SerialIterator(test, batch_size=args.batchsize, repeat=False,
                                         shuffle=False)

    model = L.Classifier(MLP(args.unit, 10))  # the input size, 784, is inferred
    model.to_device(device)
    optimizer = optimizers.SGD(lr=args.lr)
    optimizer.setup(model)

    updater = training.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    trainer.extend(extensions.Evaluator(test_iter, model, device=device))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.snapshot(n_retains=2, autoload=args.autoload),
                   trigger=(args.snapshot_interval, 'epoch'))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
         'validation/main/accuracy', 'elapsed_time']))
    if not args.no_progress:
        trainer.extend(extensions.ProgressBar())
    if args.resume:
        serializers.load_npz(args.resume, trainer)
    trainer.run()
    return trainer


if __name__ == '__main__':
    main()
