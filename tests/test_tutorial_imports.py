"""The import block every Chainer tutorial starts with, written for polychain."""

from __future__ import annotations

import subprocess
import sys
import textwrap

TUTORIAL_IMPORTS = textwrap.dedent("""
    import numpy as np
    import polychain as chainer
    from polychain import cuda, Function, gradient_check, report, training, utils, Variable
    from polychain import datasets, iterators, optimizers, serializers
    from polychain import Link, Chain, ChainList
    import polychain.functions as F
    import polychain.links as L
    from polychain.training import extensions
""")

MEANINGS = textwrap.dedent("""
    import sys
    import types

    # The block itself must not import the other array libraries.
    loaded = [name for name in ('jax', 'cupy', 'array_api_strict') if name in sys.modules]

    import polychain.backends.cuda
    import polychain.cuda
    from polychain.backends import cuda as backends_cuda

    assert cuda is chainer.cuda is backends_cuda is polychain.backends.cuda is polychain.cuda
    assert chainer.backends.cuda is cuda
    for name in ('to_cpu', 'to_gpu', 'get_array_module', 'get_device_from_id',
                 'get_device_from_array', 'check_cuda_available', 'DummyDevice'):
        assert callable(getattr(cuda, name)) or name == 'DummyDevice', name
    assert isinstance(cuda.available, bool)
    assert isinstance(Function, type) and issubclass(Function, chainer.Function)
    assert callable(gradient_check.check_backward) and callable(report)
    assert isinstance(training, types.ModuleType) and callable(training.Trainer)
    assert isinstance(utils, types.ModuleType)
    assert callable(utils.type_check.expect) and callable(utils.WalkerAlias)
    assert callable(utils.force_array) and callable(utils.experimental)
    assert callable(datasets.TupleDataset) and callable(iterators.SerialIterator)
    assert callable(optimizers.SGD) and callable(serializers.save_npz)
    assert issubclass(Chain, Link) and issubclass(ChainList, Link)
    assert callable(F.relu) and callable(L.Linear) and callable(extensions.LogReport)
    assert Variable is chainer.Variable

    x = Variable(np.array([5], dtype=np.float32))
    y = x**2 - 2 * x + 1
    y.backward()
    assert x.grad.tolist() == [8.0], x.grad
    print(','.join(loaded))
""")


def test_the_tutorial_import_block_gives_chainers_names():
    result = subprocess.run([sys.executable, '-c', TUTORIAL_IMPORTS + MEANINGS],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '', f'imported by the block: {result.stdout.strip()}'
