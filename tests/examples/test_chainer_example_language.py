"""Chainer's language examples: recursive sentiment nets, seq2seq, POS tagging, memory nets."""


def test_sentiment(run_examples):
    run_examples('sentiment/train_sentiment.py')


def test_sentiment_thin_stack(run_examples):
    run_examples('sentiment/train_recursive_minibatch.py')


def test_seq2seq(run_examples):
    outcomes = run_examples('seq2seq/seq2seq.py', 'seq2seq/wmt_preprocess.py')
    assert 'validation/main/bleu' in outcomes[0].output


def test_pos_tagging(run_examples):
    run_examples('pos/postagging.py')


def test_memnn_train_then_test(run_examples):
    outcomes = run_examples('memnn/train_memnn.py', 'memnn/test_memnn.py')
    assert 'Accuracy' in outcomes[1].output
