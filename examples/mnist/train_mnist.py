"""Train the tutorial's multi-layer perceptron on MNIST or Fashion-MNIST with the Trainer.

This is the tutorial's code, with command-line options around it:

    python examples/mnist/train_mnist.py --dataset fashion-mnist --epoch 20
    python examples/mnist/train_mnist.py --device @jax:cpu:0
    python examples/mnist/train_mnist.py --device @jax:cpu:0 --compile  # one program a step
    python examples/mnist/train_mnist.py --autoload       # resume from the newest snapshot

Fashion-MNIST is read from the dataset cache or from Debian's package
``dataset-fashion-mnist`` (``/usr/share/datasets/fashion-mnist``; without root,
``examples/mnist/get_fashion_mnist.sh`` unpacks it into the cache).

The output folder (``--out``) gets the JSON ``log``, ``loss.png`` and
``accuracy.png`` (when matplotlib is installed) and the two newest snapshots
``snapshot_iter_<iteration>.npz``. The run ends with a summary line; Ctrl-C
stops it and says how to resume.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shlex
import sys
import time

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
    parser.add_argument('--compile', action='store_true',
                        help='compile each training and evaluation step (JAX devices; '
                             'other devices run eagerly)')
    return parser.parse_args(argv)


#: The snapshots' names; ``--autoload`` finds the newest one by this template.
SNAPSHOT_TEMPLATE = 'snapshot_iter_{.updater.iteration}.npz'


def main(argv: list[str] | None = None) -> training.Trainer:
    """Trains the network, printing where results go and, at the end, a summary line."""
    args = parse_args(argv)
    start = time.monotonic()
    print(f'Writing the log, plots and snapshots to {os.path.abspath(args.out)}', flush=True)
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

    updater = training.StandardUpdater(train_iter, optimizer, device=device,
                                       compile=args.compile)
    trainer = training.Trainer(updater, (args.epoch, 'epoch'), out=args.out)
    trainer.extend(extensions.Evaluator(test_iter, model, device=device, compile=args.compile))
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.snapshot(filename=SNAPSHOT_TEMPLATE, n_retains=2,
                                       autoload=args.autoload),
                   trigger=(args.snapshot_interval, 'epoch'))
    if extensions.PlotReport.available():
        for name, key in (('loss', 'main/loss'), ('accuracy', 'main/accuracy')):
            trainer.extend(extensions.PlotReport([key, 'validation/' + key], 'epoch',
                                                 file_name=f'{name}.png'))
    trainer.extend(extensions.PrintReport(
        ['epoch', 'main/loss', 'validation/main/loss', 'main/accuracy',
         'validation/main/accuracy', 'elapsed_time']))
    if not args.no_progress and sys.stdout.isatty():  # a redirected log gets the table only
        trainer.extend(extensions.ProgressBar())
    if args.resume:
        serializers.load_npz(args.resume, trainer)
        print(f'Resumed from {args.resume} (iteration {trainer.updater.iteration})')
    if args.autoload:
        trainer.extend(_report_autoload, call_before_training=True, trigger=_never)
    trainer.run()
    print(_summary(trainer, args.out, time.monotonic() - start))
    return trainer


def _never(trainer: training.Trainer) -> bool:
    return False


@training.make_extension()
def _report_autoload(trainer: training.Trainer) -> None:
    """Says which snapshot ``--autoload`` resumed from (it is named after its iteration)."""
    if trainer.updater.iteration:
        name = SNAPSHOT_TEMPLATE.format(trainer)
        print(f'Resumed from {os.path.join(trainer.out, name)} '
              f'(iteration {trainer.updater.iteration})', flush=True)


def _summary(trainer: training.Trainer, out: str, seconds: float) -> str:
    log = trainer.get_extension('LogReport').log
    accuracy = log[-1].get('validation/main/accuracy') if log else None
    accuracy_text = 'n/a' if accuracy is None else f'{accuracy:.4f}'
    return (f'Finished {trainer.updater.epoch} epochs: validation accuracy {accuracy_text}, '
            f'{seconds:.1f} s; results in {os.path.abspath(out)}')


def newest_snapshot(out: str) -> str | None:
    """The snapshot in ``out`` with the highest iteration, or ``None``."""
    pattern = re.compile(r'snapshot_iter_(\d+)\.npz')
    found = [(int(match.group(1)), path)
             for path in glob.glob(os.path.join(glob.escape(out), 'snapshot_iter_*.npz'))
             if (match := pattern.fullmatch(os.path.basename(path)))]
    return max(found)[1] if found else None


def _interrupted_message(argv: list[str]) -> str:
    args = parse_args(argv)
    snapshot = newest_snapshot(args.out)
    if snapshot is None:
        return 'Interrupted before the first snapshot; nothing to resume from.'
    python = os.path.relpath(sys.executable)
    python = sys.executable if python.startswith('..') else python
    command = [python, sys.argv[0], *argv] + ([] if args.autoload else ['--autoload'])
    return (f'Interrupted. The newest snapshot is {snapshot}; to resume from it, run:\n'
            f'  {shlex.join(command)}')


if __name__ == '__main__':
    try:
        main()
    except KeyboardInterrupt:
        print(_interrupted_message(sys.argv[1:]), file=sys.stderr)
        sys.exit(130)
