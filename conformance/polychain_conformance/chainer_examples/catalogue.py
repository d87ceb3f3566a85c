"""Chainer's example scripts: their short command lines, data and requirements.

Every script outside ``chainermn/`` that a user runs is listed, in the order
it runs within its folder (a later script may read what an earlier one
wrote: ``serialization/load.py`` reads ``save.py``'s files). ``{device}`` in
an argument is replaced with the device specifier of the run. A script whose
``unavailable`` is set is not run; the reason goes into the report.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExampleScript:
    """One script of Chainer's examples.

    Args:
        path: The script, relative to the examples folder.
        arguments: Its command line (``{device}`` is the run's device).
        fixtures: The data sets it reads (names of :data:`.fixtures.FIXTURES`).
        modules: Packages it imports besides Chainer, NumPy and the standard library.
        takes_device: Whether it has a device option (else it runs once, on NumPy).
        stdin: What it reads from its standard input.
        unavailable: Why it cannot run here (not run when set).
        known_failure: Why it fails with Chainer too, or on JAX's immutable arrays (run; a
            failure is reported as ``xfail``).
        known_failure_devices: The devices ``known_failure`` is about (an ``fnmatch`` pattern).
        min_timeout: Seconds the script is given at least, whatever the run's time limit
            (for work fixed in its code).
    """

    path: str
    arguments: tuple[str, ...] = ()
    fixtures: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    takes_device: bool = True
    stdin: str = ''
    unavailable: str = ''
    known_failure: str = ''
    known_failure_devices: str = '*'
    min_timeout: float = 0.0

    @property
    def family(self) -> str:
        """The example's folder (``static_graph_optimizations/mnist`` for nested ones)."""
        return self.path.rsplit('/', 1)[0]


NUMPY_2 = ("the example's own code breaks on NumPy 2: int() of the 1-element label arrays "
           'its nlp_utils.transform_to_array makes')
OLD_GYM = ("the example's own code uses the API of old OpenAI Gym releases "
           '(env.spec.timestep_limit, gym.wrappers.Monitor, Pendulum-v0); the gym releases '
           'installable here (0.25, 0.26) have none of them')
IMMUTABLE = ("the example's own code writes into an array in place ({}), which JAX's "
             'immutable arrays do not allow')
D = '{device}'
#: WaveNet's size for a short run (the same in train.py and generate.py).
WAVENET = ('--n_loop', '1', '--n_layer', '3', '--a_channels', '16', '--r_channels', '8',
           '--s_channels', '16')

SCRIPTS: tuple[ExampleScript, ...] = (
    # mnist
    ExampleScript('mnist/train_mnist.py', ('--device', D, '--epoch', '1', '--unit', '50'),
                  ('mnist',), ('matplotlib',)),
    ExampleScript('mnist/inference.py',
                  ('--device', D, '--unit', '50', '--snapshot', 'result/snapshot_iter_6'),
                  ('mnist',)),
    ExampleScript('mnist/train_mnist_custom_loop.py',
                  ('--device', D, '--epoch', '1', '--unit', '50'), ('mnist',)),
    ExampleScript('mnist/train_mnist_data_parallel.py',
                  ('--device0', D, '--device1', D, '--epoch', '1', '--unit', '50',
                   '--batchsize', '100'), ('mnist',)),
    ExampleScript('mnist/train_mnist_data_parallel_updater.py',
                  ('--devices', D, D, '--ljob', '2', '--epoch', '1', '--unit', '50',
                   '--batchsize', '100'),
                  ('mnist',)),
    ExampleScript('mnist/train_mnist_model_parallel.py',
                  ('--device0', D, '--device1', D, '--epoch', '1', '--unit', '50'),
                  ('mnist',)),
    # cifar
    ExampleScript('cifar/train_cifar.py', ('--device', D, '--epoch', '1', '--batchsize', '50'),
                  ('cifar',), ('matplotlib',)),
    ExampleScript('cifar/train_cifar_custom_loop.py',
                  ('--device', D, '--epoch', '1', '--batchsize', '50'), ('cifar',)),
    # generative models
    ExampleScript('vae/train_vae.py', ('--device', D, '--epoch', '1', '--dim-h', '50'),
                  ('mnist',), ('matplotlib',)),
    ExampleScript('dcgan/train_dcgan.py',
                  ('--device', D, '--epoch', '1', '--batchsize', '50', '--n_hidden', '10',
                   '--display_interval', '1'),
                  ('cifar',), ('PIL',)),
    ExampleScript('pix2pix/train_facade.py', ('--device', D, '--epoch', '1'), ('facade',),
                  ('PIL',),
                  unavailable='trains on the CMP Facade pairs 1..299, a range fixed in its code '
                              '(no option shortens it): an epoch is 299 iterations of a '
                              '256x256 U-Net and its discriminator, 13 to 15 s of CPU each on '
                              '@numpy (over an hour an epoch); on @jax its updater writes into '
                              'an array in place (x_in[i, :] = ...), which JAX does not allow'),
    # natural language
    ExampleScript('ptb/train_ptb.py',
                  ('--device', D, '--epoch', '1', '--unit', '20', '--test',
                   '--batchsize', '5', '--bproplen', '5'), ('ptb',)),
    ExampleScript('ptb/gentxt.py', ('--device', D, '--model', 'model.npz', '--unit', '20',
                                    '--primetext', 'the', '--length', '5'), ('ptb',)),
    ExampleScript('ptb/train_ptb_custom_loop.py',
                  ('--device', D, '--epoch', '1', '--unit', '20', '--test',
                   '--batchsize', '5', '--bproplen', '5'), ('ptb',)),
    ExampleScript('word2vec/train_word2vec.py',
                  ('--device', D, '--epoch', '1', '--unit', '10', '--batchsize', '50',
                   '--test'), ('ptb',)),
    ExampleScript('word2vec/search.py', (), (), takes_device=False, stdin='cat\ndog\nzzz\n'),
    ExampleScript('sentiment/download.py', takes_device=False),
    ExampleScript('sentiment/train_sentiment.py',
                  ('--device', D, '--epoch', '2', '--epocheval', '1', '--unit', '10'),
                  ('sentiment_trees',)),
    ExampleScript('sentiment/train_recursive_minibatch.py',
                  ('--device', D, '--epoch', '2', '--epocheval', '1', '--unit', '10'),
                  ('sentiment_trees',),
                  known_failure=IMMUTABLE.format('thin_stack.py: stack[rows, indices] = values'),
                  known_failure_devices='@jax*'),
    ExampleScript('seq2seq/seq2seq.py',
                  ('source.txt', 'target.txt', 'vocab.txt', 'vocab.txt', '--device', D,
                   '--validation-source', 'valid_source.txt',
                   '--validation-target', 'valid_target.txt', '--epoch', '1', '--unit', '16',
                   '--layer', '1', '--batchsize', '16', '--log-interval', '1',
                   '--validation-interval', '2'), ('parallel_corpus',), ('nltk', 'progressbar')),
    ExampleScript('seq2seq/wmt_preprocess.py', ('source.txt', 'wmt_source.txt',
                                                '--vocab-file', 'wmt_vocab.txt'),
                  ('parallel_corpus',), ('progressbar',), takes_device=False),
    ExampleScript('text_classification/train_text_classifier.py',
                  ('--device', D, '--epoch', '1', '--dataset', 'dbpedia', '--unit', '10',
                   '--model', 'cnn', '--batchsize', '32'), ('dbpedia',), known_failure=NUMPY_2),
    ExampleScript('text_classification/run_text_classifier.py',
                  ('--device', D, '--model-setup', 'result/args.json'), (),
                  stdin='the cat sat on the mat\na big red house\n',
                  unavailable='reads the model that train_text_classifier.py (which breaks on '
                              'NumPy 2) writes'),
    ExampleScript('pos/postagging.py', ('--device', D, '--epoch', '1', '--batchsize', '20'),
                  ('brown',), ('nltk',)),
    ExampleScript('memnn/download.py', takes_device=False),
    ExampleScript('memnn/train_memnn.py',
                  ('babi_train.txt', 'babi_test.txt', '--device', D, '--epoch', '1',
                   '--batchsize', '20', '--model', 'model'), ('babi',),
                  known_failure=IMMUTABLE.format('memnn.py: embed.W.array[0, :] = 0'),
                  known_failure_devices='@jax*'),
    ExampleScript('memnn/test_memnn.py', ('model', 'babi_test.txt', '--device', D), ('babi',),
                  known_failure='reads the model that train_memnn.py writes',
                  known_failure_devices='@jax*'),
    # imagenet
    ExampleScript('imagenet/compute_mean.py', ('train.txt', '--root', 'imagenet'),
                  ('imagenet_list',), ('PIL',), takes_device=False),
    ExampleScript('imagenet/train_imagenet.py',
                  ('train.txt', 'val.txt', '--root', 'imagenet', '--device', D, '--arch', 'nin',
                   '--epoch', '1', '--batchsize', '4', '--val_batchsize', '4', '--test',
                   '--loaderjob', '1'), ('imagenet_list',), ('PIL',)),
    ExampleScript('imagenet/train_imagenet_data_parallel.py',
                  ('train.txt', 'val.txt', '--root', 'imagenet', '--devices', D, D, '--arch',
                   'nin', '--epoch', '1', '--batchsize', '4', '--val_batchsize', '4', '--test',
                   '--loaderjob', '1'), ('imagenet_list',), ('PIL',)),
    ExampleScript('modelzoo/download_model.py', ('alexnet',), takes_device=False),
    ExampleScript('modelzoo/download_mean_file.py', takes_device=False),
    ExampleScript('modelzoo/evaluate_caffe_net.py',
                  ('val.txt', 'alexnet', 'bvlc_alexnet.caffemodel', '--basepath', 'imagenet',
                   '--mean', 'ilsvrc_2012_mean.npy', '--batchsize', '4', '--device', D),
                  ('imagenet_list', 'modelzoo_files'), ('PIL',)),
    ExampleScript('caffe_export/export.py', ('--arch', 'googlenet', '--out-dir', 'exported'),
                  ('googlenet',), takes_device=False),
    # static graph optimizations
    ExampleScript('static_graph_optimizations/mnist/train_mnist.py',
                  ('--device', D, '--epoch', '1', '--unit', '50'), ('mnist',), ('matplotlib',)),
    ExampleScript('static_graph_optimizations/mnist/train_mnist_custom_loop.py',
                  ('--device', D, '--epoch', '1', '--unit', '50'), ('mnist',)),
    ExampleScript('static_graph_optimizations/cifar/train_cifar.py',
                  ('--device', D, '--epoch', '1', '--batchsize', '50'), ('cifar',),
                  ('matplotlib',)),
    ExampleScript('static_graph_optimizations/cifar/train_cifar_custom_loop.py',
                  ('--device', D, '--epoch', '1', '--batchsize', '50'), ('cifar',)),
    ExampleScript('static_graph_optimizations/ptb/train_ptb_custom_loop.py',
                  ('--device', D, '--epoch', '1', '--unit', '20', '--test',
                   '--batchsize', '5', '--bproplen', '5'), ('ptb',),
                  known_failure="the example's own ParallelSequentialIterator has no reset(), "
                                'which its evaluate() calls (Chainer 7 gives it none either)'),
    # reinforcement learning, hyper-parameter search
    ExampleScript('reinforcement_learning/dqn_cartpole.py',
                  ('--device', D, '--episodes', '3', '--no-record', '--replay-start-size', '30',
                   '--batch-size', '16', '--unit', '20'), (), ('gym',), unavailable=OLD_GYM),
    ExampleScript('reinforcement_learning/ddpg_pendulum.py',
                  ('--device', D, '--episodes', '2', '--no-record', '--env', 'Pendulum-v1',
                   '--replay-start-size', '100', '--batch-size', '16', '--unit', '20'), (),
                  ('gym',), unavailable=OLD_GYM),
    # (100 trials of 10 epochs each, fixed in their code, on 3000 and 1000 MNIST images;
    # chainer_integration.py takes about 7 minutes of CPU on @numpy)
    ExampleScript('optuna/chainer_simple.py', (), ('mnist_3000',),
                  ('optuna', 'optuna_integration'), takes_device=False),
    ExampleScript('optuna/chainer_integration.py', (), ('mnist_3000',),
                  ('optuna', 'optuna_integration'), takes_device=False, min_timeout=1200),
    # image captioning, speech
    ExampleScript('image_captioning/download.py', (), (), ('progressbar',), takes_device=False),
    ExampleScript('image_captioning/train.py',
                  ('--device', D, '--max-iters', '1', '--batch-size', '1', '--val-iter', '1',
                   '--snapshot-iter', '1'),
                  ('mscoco', 'vgg16'), ('pycocotools', 'PIL', 'matplotlib')),
    ExampleScript('image_captioning/predict.py',
                  ('--device', D, '--model', 'result/model_1', '--img-dir', 'data/val2014'),
                  ('mscoco', 'vgg16'), ('pycocotools', 'PIL')),
    ExampleScript('wavenet/train.py',
                  ('--device', D, '--epoch', '1', *WAVENET, '--length', '2048', '--batchsize',
                   '2', '--process', '1', '--prefetch', '1', '--snapshot_interval', '5'),
                  ('vctk',), ('librosa', 'matplotlib')),
    ExampleScript('wavenet/generate.py',
                  ('--device', D, *WAVENET, '--input', 'VCTK-Corpus/wav48/p225/p225_001.wav',
                   '--model', 'result/snapshot_iter_5'), ('vctk',), ('librosa', 'tqdm'),
                  unavailable="the example's own code writes its result with "
                              'librosa.output.write_wav, which librosa 0.8 removed, and '
                              'librosa 0.7 does not import with the numba releases that install '
                              'here (it imports numba.decorators, gone since numba 0.49; numba '
                              '0.48 builds only from source, with numpy.distutils, absent from '
                              'NumPy 2); before that, 11520 generation steps pass on @numpy, '
                              'while on @jax it writes into an array in place '
                              '(zeros[:, value, :] = 1)'),
    # other
    ExampleScript('glance/glance.py', (), ('mushrooms',), ('matplotlib',), takes_device=False),
    ExampleScript('serialization/save.py', (), (), ('h5py',), takes_device=False),
    ExampleScript('serialization/load.py', (), (), ('h5py',), takes_device=False),
)
