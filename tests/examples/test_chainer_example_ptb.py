"""Chainer's PTB examples: the RNN language model, text generation, word2vec and its search."""

import pytest


def test_train_ptb_then_generate(run_examples):
    outcomes = run_examples('ptb/train_ptb.py', 'ptb/gentxt.py', 'ptb/train_ptb_custom_loop.py')
    assert 'test perplexity' in outcomes[0].output


@pytest.mark.parametrize('device', ['@numpy', '@jax:cpu:0'])
def test_word2vec_then_search(run_examples, device):
    outcomes = run_examples('word2vec/train_word2vec.py', 'word2vec/search.py', device=device)
    assert 'query: cat' in outcomes[1].output
