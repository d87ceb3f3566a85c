"""Chainer's static-graph examples (``@static_graph`` models)."""


def test_static_graph_mnist(run_examples):
    run_examples('static_graph_optimizations/mnist/train_mnist.py',
                 'static_graph_optimizations/mnist/train_mnist_custom_loop.py')
