"""TextDataset: the lines of text files, read lazily from disk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from polychain.dataset.dataset_mixin import DatasetMixin


def _per_file(name: str, value: Any, count: int) -> list[Any]:
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            raise ValueError(f'TextDataset: expected {count} values of {name} (one per file), '
                             f'received {len(value)}')
        return list(value)
    return [value] * count


class TextDataset(DatasetMixin):
    """The lines of one text file, or the line-by-line zipped lines of several.

    Only the offset of each line is kept in memory; ``dataset[i]`` seeks and
    reads it. With one file (a path, or a list of one) an example is a
    string; with several it is a tuple of one line per file, and the files
    must have the same number of lines.

    Args:
        paths: A path or a list of paths.
        encoding: The encoding of all files, or a list of one per file.
        errors: How decoding errors are handled (see :func:`io.open`), or a list.
        newline: The newline mode (see :func:`io.open`), or a list.
        filter_func: Called with the line (or the lines) of each example;
            only examples for which it returns true are kept.
    """

    def __init__(self, paths: str | Sequence[str], encoding: Any = None, errors: Any = None,
                 newline: Any = None,
                 filter_func: Callable[..., bool] | None = None) -> None:
        paths = [paths] if isinstance(paths, str) else list(paths)
        if not paths:
            raise ValueError('TextDataset: expected at least one path, received none')
        count = len(paths)
        self._paths = paths
        self._options = list(zip(_per_file('encoding', encoding, count),
                                 _per_file('errors', errors, count),
                                 _per_file('newline', newline, count)))
        self._open()
        self._bounds = self._index_lines(filter_func)

    def _open(self) -> None:
        self._fps = [open(path, encoding=encoding, errors=errors, newline=newline)
                     for path, (encoding, errors, newline) in zip(self._paths, self._options)]

    def _index_lines(self, filter_func: Callable[..., bool] | None) -> list[tuple[int, ...]]:
        bounds = []
        for fp in self._fps:
            fp.seek(0)
        while True:
            starts = tuple(fp.tell() for fp in self._fps)
            lines = [fp.readline() for fp in self._fps]
            ended = [line == '' for line in lines]
            if all(ended):
                return bounds
            if any(ended):
                raise ValueError(f'TextDataset: the files {self._paths} have different numbers '
                                 f'of lines')
            if filter_func is None or filter_func(*lines):
                bounds.append(starts)

    def __len__(self) -> int:
        return len(self._bounds)

    def get_example(self, i: int) -> Any:
        lines = []
        for fp, start in zip(self._fps, self._bounds[i]):
            fp.seek(start)
            lines.append(fp.readline())
        return lines[0] if len(lines) == 1 else tuple(lines)

    def close(self) -> None:
        """Closes the files; every file is closed even if closing one fails."""
        errors = []
        for fp in self._fps:
            try:
                fp.close()
            except Exception as error:  # closing the others first; re-raised below
                errors.append(error)
        if errors:
            raise errors[0]

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        del state['_fps']
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._open()
