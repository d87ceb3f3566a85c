"""Chainer's tutorial, part 1, from its first code block to its last, on NumPy and on JAX.

The code blocks are transcribed in the tutorial's order: the classes it
defines are at module level, and each test function is one section of the
tutorial, asserting the values it prints where they do not depend on random
numbers. Deviations from the tutorial's text are marked ``# deviation:``;
there are three kinds:

* arrays go to the device under test with ``device.send`` and models with
  ``model.to_device(device)`` (the tutorial works on the CPU and names
  ``to_gpu`` for GPUs);
* files are written in a temporary working directory;
* ``datasets.get_mnist()`` reads a small MNIST of random images written
  in a temporary dataset root, so that nothing is downloaded and the
  20 epochs of the Trainer section take seconds.
"""

# The tutorial's spelling is kept: its import block, ``super(Class, self)``, ``(object)``.
# ruff: noqa: I001, UP008, UP004

from __future__ import annotations

import gzip
import json
import re
import struct

import pytest

# The tutorial's import block, with ``chainer`` bound to polychain.
import numpy as np
import polychain as chainer
from polychain import cuda, Function, gradient_check, report, training, utils, Variable  # noqa: F401
from polychain import datasets, iterators, optimizers, serializers
from polychain import Link, Chain, ChainList  # noqa: F401
import polychain.functions as F
import polychain.links as L
from polychain.training import extensions

from polychain.backend import BackendUnavailable, to_host

TUTORIAL_DEVICES = ('@numpy', '@jax:cpu:0')


def _device_params():
    params = []
    for spec in TUTORIAL_DEVICES:
        try:
            chainer.get_device(spec)
        except (ValueError, BackendUnavailable) as error:
            params.append(pytest.param(spec, marks=pytest.mark.skip(
                reason=f'{spec} is not usable here: {error}'), id=spec))
        else:
            params.append(pytest.param(spec, id=spec))
    return params


@pytest.fixture(params=_device_params())
def device(request):
    return chainer.get_device(request.param)


def host(array):
    """A host copy: SGD updates parameters in place, as in Chainer."""
    return np.array(to_host(array))


def assert_float32(array, expected):
    array = host(array)
    assert array.dtype == np.float32
    np.testing.assert_array_equal(array, np.array(expected, dtype=np.float32))


# -- 前向/反向计算 (forward/backward computation) ----------------------------------------------

def test_forward_backward_computation(device):
    x_data = np.array([5], dtype=np.float32)
    x = Variable(device.send(x_data))  # deviation: the array goes to the device under test
    y = x**2 - 2 * x + 1
    assert_float32(y.data, [16.])
    y.backward()
    assert_float32(x.grad, [8.])

    z = 2*x
    y = x**2 - z + 1
    y.backward(retain_grad=True)
    assert_float32(z.grad, [-1.])

    z = 2*x
    y = x**2 - z + 1
    y.backward()
    assert z.grad is None

    x = Variable(device.send(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32)))
    y = x**2 - 2*x + 1
    y.grad = device.send(np.ones((2, 3), dtype=np.float32))  # deviation: device.send
    y.backward()
    assert_float32(x.grad, [[0., 2., 4.], [6., 8., 10.]])


# -- 连接 (links) ------------------------------------------------------------------------------

def test_links(device):
    f = L.Linear(3, 2)
    f.to_device(device)  # deviation: the link goes to the device under test
    assert f.W.data.shape == (2, 3) and host(f.W.data).dtype == np.float32
    assert_float32(f.b.data, [0., 0.])

    x = Variable(device.send(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32)))
    y = f(x)
    expected = host(x.data) @ host(f.W.data).T
    np.testing.assert_allclose(host(y.data), expected, rtol=1e-6)

    g = L.Linear(2)
    g.to_device(device)  # deviation: the link goes to the device under test
    assert g.W.data is None  # the input size is not known before the first mini-batch

    x = Variable(device.send(np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float32)))
    g = L.Linear(2)
    g.to_device(device)  # deviation: the link goes to the device under test
    p=g(x)  # noqa: E225 - the tutorial's spelling
    assert repr(p).startswith('variable([[') and p.shape == (2, 2)
    assert g.W.shape == (2, 3) and g.W.device == device
    g.cleargrads()
    # The tutorial assigns to ``g.grad`` (an attribute of the link, not the output's
    # gradient) and calls nothing backward, so the parameters' gradients stay cleared.
    g.grad = np.ones((2, 2), dtype=np.float32)
    assert g.W.grad is None
    assert g.b.grad is None


# -- 基于 chain 写一个模型 (writing a model as a chain) ----------------------------------------

l1 = L.Linear(4, 3)
l2 = L.Linear(3, 2)


def my_forward(x):
    h = l1(x)
    return l2(h)


class MyProc(object):
    def __init__(self):
        self.l1 = L.Linear(4, 3)
        self.l2 = L.Linear(3, 2)

    def forward(self, x):
        h = self.l1(x)
        return self.l2(h)


class MyChain(Chain):
    def __init__(self):
        super(MyChain, self).__init__()
        with self.init_scope():
            self.l1 = L.Linear(4, 3)
            self.l2 = L.Linear(3, 2)

    def __call__(self, x):
        h = self.l1(x)
        return self.l2(h)


class MyChain2(ChainList):
    def __init__(self):
        super(MyChain2, self).__init__(
            L.Linear(4, 3),
            L.Linear(3, 2),
        )

    def __call__(self, x):
        h = self[0](x)
        return self[1](h)


def test_chains(device):
    x = device.send(np.random.uniform(-1, 1, (2, 4)).astype('f'))  # deviation: device.send
    l1.to_device(device)  # deviation: the links go to the device under test
    l2.to_device(device)
    assert my_forward(x).shape == (2, 2)

    proc = MyProc()
    proc.l1.to_device(device)  # deviation: the links go to the device under test
    proc.l2.to_device(device)
    assert proc.forward(x).shape == (2, 2)

    chain = MyChain().to_device(device)  # deviation: to_device
    assert sorted(name for name, _ in chain.namedparams()) == \
        ['/l1/W', '/l1/b', '/l2/W', '/l2/b']
    assert [child.name for child in chain.children()] == ['l1', 'l2']
    expected = chain.l2(chain.l1(x))
    np.testing.assert_array_equal(host(chain(x).data), host(expected.data))

    chain2 = MyChain2().to_device(device)  # deviation: to_device
    assert sorted(name for name, _ in chain2.namedparams()) == \
        ['/0/W', '/0/b', '/1/W', '/1/b']
    assert chain2(x).shape == (2, 2)


# -- 优化器 (optimizers) -----------------------------------------------------------------------

def test_optimizers(device):
    model = MyChain()
    model.to_device(device)  # deviation: the model goes to the device under test
    optimizer = optimizers.SGD()
    optimizer.setup(model)
    with pytest.deprecated_call(match='WeightDecay'):  # the tutorial's old name, as in Chainer
        optimizer.add_hook(chainer.optimizer.WeightDecay(0.0005))

    x = np.random.uniform(-1, 1, (2, 4)).astype('f')
    x = device.send(x)  # deviation: device.send
    model.cleargrads()
    # compute gradient here...
    loss = F.sum(model(chainer.Variable(x)))
    loss.backward()
    before = {name: host(param.data) for name, param in model.namedparams()}
    grads = {name: host(param.grad) for name, param in model.namedparams()}
    optimizer.update()
    for name, param in model.namedparams():
        # SGD's default lr is 0.01; the hook adds 0.0005 * W to the gradient first.
        expected = before[name] - 0.01 * (grads[name] + 0.0005 * before[name])
        np.testing.assert_allclose(host(param.data), expected, rtol=1e-5, atol=1e-7,
                                   err_msg=name)

    def lossfun(arg1, arg2):
        # calculate loss
        loss = F.sum(model(arg1 - arg2))
        return loss

    arg1 = np.random.uniform(-1, 1, (2, 4)).astype('f')
    arg2 = np.random.uniform(-1, 1, (2, 4)).astype('f')
    arg1, arg2 = device.send(arg1), device.send(arg2)  # deviation: device.send
    bias = host(model.l2.b.data)
    optimizer.update(lossfun, chainer.Variable(arg1), chainer.Variable(arg2))
    assert optimizer.t == 2
    # update() cleared the gradients before computing the loss: they are not accumulated.
    # The sum over a batch of two gives the bias a gradient of 2, plus the weight decay.
    np.testing.assert_allclose(host(model.l2.b.grad), 2 + 0.0005 * bias, rtol=1e-6)


# -- 序列化器 (serializers) --------------------------------------------------------------------

def test_serializers(device, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # deviation: the files are written in a temporary directory
    model = MyChain().to_device(device)  # deviation: to_device
    optimizer = optimizers.MomentumSGD()  # momentum gives the optimizer a state to save
    optimizer.setup(model)
    loss = F.sum(model(device.send(np.ones((1, 4), np.float32))))
    model.cleargrads()
    loss.backward()
    optimizer.update()
    saved = {name: host(param.data) for name, param in model.namedparams()}
    velocity = host(optimizer.target.l1.W.update_rule.state['v'])

    serializers.save_npz('my.model', model)
    restored = MyChain().to_device(device)  # deviation: a fresh model to load into
    serializers.load_npz('my.model', restored)
    for name, param in restored.namedparams():
        np.testing.assert_array_equal(host(param.data), saved[name], err_msg=name)
        assert param.device == device

    serializers.save_npz('my.state', optimizer)
    restored_optimizer = optimizers.MomentumSGD()  # deviation: a fresh optimizer to load into
    restored_optimizer.setup(restored)
    serializers.load_npz('my.state', restored_optimizer)
    assert restored_optimizer.t == 1
    np.testing.assert_array_equal(host(restored.l1.W.update_rule.state['v']), velocity)

    pytest.importorskip('h5py')
    serializers.save_hdf5('my.model.h5', model)
    restored = MyChain().to_device(device)
    serializers.load_hdf5('my.model.h5', restored)
    for name, param in restored.namedparams():
        np.testing.assert_array_equal(host(param.data), saved[name], err_msg=name)
    serializers.save_hdf5('my.state.h5', optimizer)
    restored_optimizer = optimizers.MomentumSGD()
    restored_optimizer.setup(restored)
    serializers.load_hdf5('my.state.h5', restored_optimizer)
    assert restored_optimizer.t == 1


# -- 例子:基于MNIST的多层感知器 (example: an MLP on MNIST) -------------------------------------

class MLP(Chain):
    def __init__(self, n_units, n_out):
        super(MLP, self).__init__()
        with self.init_scope():
            # the size of the inputs to each layer will be inferred
            self.l1 = L.Linear(None, n_units)  # n_in -> n_units
            self.l2 = L.Linear(None, n_units)  # n_units -> n_units
            self.l3 = L.Linear(None, n_out)  # n_units -> n_out

    def __call__(self, x):
        h1 = F.relu(self.l1(x))
        h2 = F.relu(self.l2(h1))
        y = self.l3(h2)
        return y


class Classifier(Chain):
    def __init__(self, predictor):
        super(Classifier, self).__init__()
        with self.init_scope():
            self.predictor = predictor

    def __call__(self, x, t):
        y = self.predictor(x)
        loss = F.softmax_cross_entropy(y, t)
        accuracy = F.accuracy(y, t)
        report({'loss': loss, 'accuracy': accuracy}, self)
        return loss


N_TRAIN, N_TEST = 200, 100


def write_idx(path, array):
    """Writes a uint8 array as a gzipped IDX file, the format MNIST is distributed in."""
    header = struct.pack('>BBBB', 0, 0, 0x08, array.ndim)
    sizes = struct.pack(f'>{array.ndim}I', *array.shape)
    path.write_bytes(gzip.compress(header + sizes + array.astype(np.uint8).tobytes()))


@pytest.fixture
def small_mnist(tmp_path, monkeypatch):
    """A dataset root whose MNIST has 200 training and 100 test images of random pixels."""
    directory = tmp_path / 'dataset-root' / 'pfnet' / 'chainer' / 'mnist'
    directory.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, count in (('train', N_TRAIN), ('t10k', N_TEST)):
        write_idx(directory / f'{prefix}-images-idx3-ubyte.gz',
                  rng.integers(0, 256, (count, 28, 28)))
        write_idx(directory / f'{prefix}-labels-idx1-ubyte.gz', rng.integers(0, 10, count))
    monkeypatch.setattr(chainer.dataset.download, '_root_override', None)
    monkeypatch.setenv('POLYCHAIN_DATASET_ROOT', str(tmp_path / 'dataset-root'))

    def offline(url, destination):
        raise AssertionError(f'the tutorial test must not download {url}')

    monkeypatch.setattr(chainer.dataset.download, 'download_file', offline)


def test_the_tutorials_own_classifier_reports_loss_and_accuracy(device):
    np.random.seed(0)
    model = Classifier(MLP(100, 10)).to_device(device)  # deviation: to_device
    x = device.send(np.random.uniform(0, 1, (4, 784)).astype(np.float32))
    t = device.send(np.array([0, 1, 2, 3], np.int32))
    reporter = chainer.Reporter()
    reporter.add_observer('main', model)
    observation = {}
    with reporter.scope(observation):
        loss = model(x, t)
    assert set(observation) == {'main/loss', 'main/accuracy'}
    assert float(host(observation['main/loss'].data)) == float(host(loss.data))


def test_trainer_on_mnist(device, small_mnist, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # deviation: the trainer's 'result' is a temporary directory
    np.random.seed(0)
    train, test = datasets.get_mnist()
    assert len(train) == N_TRAIN and len(test) == N_TEST
    image, label = train[0]
    assert image.shape == (784,) and image.dtype == np.float32 and label.dtype == np.int32

    train_iter = iterators.SerialIterator(train, batch_size=100, shuffle=True)
    test_iter = iterators.SerialIterator(test, batch_size=100, repeat=False, shuffle=False)

    model = L.Classifier(MLP(100, 10))  # the input size, 784, is inferred
    model.to_device(device)  # deviation: the model goes to the device under test
    optimizer = optimizers.SGD()
    optimizer.setup(model)

    # deviation: the updater and the evaluator send each mini-batch to the device
    updater = training.StandardUpdater(train_iter, optimizer, device=device)
    trainer = training.Trainer(updater, (20, 'epoch'), out='result')

    trainer.extend(extensions.Evaluator(test_iter, model, device=device))  # deviation: device
    trainer.extend(extensions.LogReport())
    trainer.extend(extensions.PrintReport(['epoch', 'main/accuracy', 'validation/main/accuracy']))
    trainer.extend(extensions.ProgressBar())
    # The text names snapshot() as the most important extension; it saves the trainer.
    trainer.extend(extensions.snapshot(), trigger=(20, 'epoch'))
    trainer.run()

    printed = capsys.readouterr().out
    # The progress bar draws four lines and moves the cursor back up (escape sequences);
    # the report rows are the lines of three numbers.
    lines = [line.split() for line in re.sub(r'\x1b\[\d*[AJ]', '', printed).splitlines()]
    header = ['epoch', 'main/accuracy', 'validation/main/accuracy']
    assert lines.count(header) == 1
    rows = [line for line in lines[lines.index(header) + 1:]
            if len(line) == 3 and all(re.fullmatch(r'[\d.e+-]+', cell) for cell in line)]
    assert [row[0] for row in rows] == [str(epoch) for epoch in range(1, 21)]
    assert all(len(row) == 3 and 0 <= float(row[1]) <= 1 for row in rows)
    # Captured output is not a terminal: the bar writes no control codes (and, redrawn every
    # 100 iterations, no line in these 40).
    assert '\x1b' not in printed

    log = json.loads((tmp_path / 'result' / 'log').read_text())
    assert [entry['epoch'] for entry in log] == list(range(1, 21))
    assert log[-1]['iteration'] == 20 * N_TRAIN // 100
    for entry in log:
        assert 0 <= entry['main/accuracy'] <= 1 and 0 <= entry['validation/main/accuracy'] <= 1

    # The snapshot restores the trained parameters into a new trainer.
    restored_model = L.Classifier(MLP(100, 10))
    restored_model(np.zeros((1, 784), np.float32), np.zeros((1,), np.int32))
    restored_optimizer = optimizers.SGD()
    restored_optimizer.setup(restored_model)
    restored = training.Trainer(
        training.StandardUpdater(iterators.SerialIterator(train, 100), restored_optimizer),
        (20, 'epoch'), out='result')
    serializers.load_npz('result/snapshot_iter_40', restored)
    assert restored.updater.iteration == 40
    for (name, param), (_, trained) in zip(restored_model.namedparams(), model.namedparams()):
        np.testing.assert_array_equal(host(param.data), host(trained.data), err_msg=name)
