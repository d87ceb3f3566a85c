"""Penn Treebank words: built from the text files once, then read from Chainer's cache layout."""

import numpy
import pytest

from polychain import datasets
from polychain.dataset import download

TEXTS = {
    'train': ' the cat sat \n the dog <unk>\n',
    'valid': ' the dog sat \n',
    'test': ' cat \n\n',
}


def _ptb_directory(root):
    return root / 'pfnet' / 'chainer' / 'ptb'


def _write_texts(directory, texts=TEXTS):
    directory.mkdir(parents=True, exist_ok=True)
    for split, text in texts.items():
        (directory / f'ptb.{split}.txt').write_text(text)


def test_words_and_vocabulary_from_text_files_then_from_the_cache(dataset_root):
    directory = _ptb_directory(dataset_root)
    _write_texts(directory)
    vocabulary = datasets.get_ptb_words_vocabulary()
    assert vocabulary == {'the': 0, 'cat': 1, 'sat': 2, '<eos>': 3, 'dog': 4, '<unk>': 5}
    train, valid, test = datasets.get_ptb_words()
    assert train.dtype == numpy.int32
    assert train.tolist() == [0, 1, 2, 3, 0, 4, 5, 3]
    assert valid.tolist() == [0, 4, 2, 3]
    assert test.tolist() == [1, 3, 3]  # an empty line is one end of sentence
    assert (directory / 'vocab.txt').read_text().split('\n')[:2] == ['the', 'cat']
    for split in ('train', 'valid', 'test'):
        (directory / f'ptb.{split}.txt').unlink()
    cached = datasets.get_ptb_words()
    assert [ids.tolist() for ids in cached] == [train.tolist(), valid.tolist(), test.tolist()]
    assert datasets.get_ptb_words_vocabulary() == vocabulary


def test_chainers_cache_is_read_as_it_is(dataset_root):
    directory = _ptb_directory(dataset_root)
    directory.mkdir(parents=True)
    (directory / 'vocab.txt').write_text('a\nb\n')
    for split, ids in (('train', [0, 1]), ('valid', [1]), ('test', [0])):
        numpy.savez_compressed(directory / f'{split}.npz', x=numpy.array(ids, numpy.int32))
    assert datasets.get_ptb_words_vocabulary() == {'a': 0, 'b': 1}
    assert [ids.tolist() for ids in datasets.get_ptb_words()] == [[0, 1], [1], [0]]


def test_text_files_are_downloaded_when_absent(tmp_path, monkeypatch):
    _write_texts(tmp_path)
    urls = []

    def fake_download(url, checksum=None):
        urls.append(url)
        return str(tmp_path / url.rsplit('/', 1)[1])

    monkeypatch.setattr(download, 'cached_download', fake_download)
    train, _, _ = datasets.get_ptb_words()
    assert train.tolist() == [0, 1, 2, 3, 0, 4, 5, 3]
    assert urls[0].endswith('/ptb.train.txt')
    assert {url.rsplit('/', 1)[1] for url in urls} == {'ptb.train.txt', 'ptb.valid.txt',
                                                        'ptb.test.txt'}


def test_without_files_or_network_the_error_names_what_to_put_where(dataset_root):
    with pytest.raises(FileNotFoundError) as error:
        datasets.get_ptb_words()
    message = str(error.value)
    for name in ('vocab.txt', 'train.npz', 'ptb.train.txt', 'ptb.test.txt',
                 str(_ptb_directory(dataset_root))):
        assert name in message
    assert not (_ptb_directory(dataset_root) / 'vocab.txt').exists()


def test_a_word_missing_from_the_vocabulary_is_reported(dataset_root):
    _write_texts(_ptb_directory(dataset_root), dict(TEXTS, test='bird\n'))
    with pytest.raises(KeyError, match='bird'):
        datasets.get_ptb_words()
