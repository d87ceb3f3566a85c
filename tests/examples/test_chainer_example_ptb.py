"""Chainer's PTB examples: the RNN language model, text generation, word2vec and its search."""


def test_train_ptb_then_generate(run_examples):
    outcomes = run_examples('ptb/train_ptb.py', 'ptb/gentxt.py', 'ptb/train_ptb_custom_loop.py')
    assert 'test perplexity' in outcomes[0].output


def test_word2vec_then_search(run_examples):
    outcomes = run_examples('word2vec/train_word2vec.py', 'word2vec/search.py')
    assert 'query: cat' in outcomes[1].output
