"""snapshot and snapshot_object: save the trainer (or any object) during training."""

from __future__ import annotations

import os
import re
import string
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from polychain.backend.generator_states import generator_states, set_generator_states
from polychain.serializers.atomic_file import remove_stale
from polychain.training.extension import Extension
from polychain.training.extensions.snapshot_writers import SimpleWriter, Writer

_DEFAULT_FILENAME = 'snapshot_iter_{.updater.iteration}'


class Snapshot(Extension):
    """Saves ``target`` (the trainer by default) through a writer; see :func:`snapshot`.

    Args:
        target: The object to save; ``None`` means the trainer.
        condition: Called without arguments; the snapshot is taken only when
            it returns ``True`` (default: always).
        writer: The :class:`~polychain.training.extensions.snapshot_writers.Writer`
            (default a :class:`SimpleWriter` saving NPZ files).
        filename: A format string given the trainer (e.g.
            ``'snapshot_iter_{.updater.iteration}'``) or a callable of the trainer.
        snapshot_on_error: Also take a snapshot when training stops with an error.
        n_retains: Keep only the newest ``n_retains`` snapshot files (all when
            not positive).
        autoload: At ``initialize``, load the newest snapshot found in the
            trainer's ``out`` (an NPZ file whose name matches ``filename``);
            a snapshot that fails to load is skipped with a warning.
    """

    trigger = 1, 'epoch'
    priority = -100

    def __init__(self, target: Any = None, condition: Callable[[], bool] | None = None,
                 writer: Writer | None = None, filename: Any = _DEFAULT_FILENAME,
                 snapshot_on_error: bool = False, n_retains: int = -1,
                 autoload: bool = False) -> None:
        if not (isinstance(filename, str) or callable(filename)):
            raise TypeError(f'snapshot: expected filename to be a format string or a callable, '
                            f'received {type(filename).__name__}')
        if (autoload or n_retains > 0) and not isinstance(filename, str):
            raise ValueError('snapshot: autoload and n_retains find snapshot files by their '
                             'name, so filename must be a format string, received a callable')
        self._target = target
        self.condition = condition if condition is not None else _always
        self.writer = writer if writer is not None else SimpleWriter()
        self.filename = filename
        self._snapshot_on_error = snapshot_on_error
        self.n_retains = n_retains
        self.autoload = autoload

    def initialize(self, trainer: Any) -> None:
        """Loads the newest snapshot (with ``autoload``) and sets up the removal of old files.

        After each save, the oldest snapshots beyond ``n_retains`` go, and so do
        the temporary directories of saves that were killed midway.
        """
        outdir = trainer.out
        if self.autoload:
            _load_newest_intact(self.filename, outdir, self._target_of(trainer))
        if not hasattr(self.writer, '_add_cleanup_hook'):
            return
        if self.n_retains > 0:
            self.writer._add_cleanup_hook(lambda: self._remove_stale_snapshots(outdir))
        if isinstance(self.filename, str):
            pattern = _temporary_dir_pattern(self.filename)
            self.writer._add_cleanup_hook(lambda: remove_stale(outdir, pattern))

    def __call__(self, trainer: Any) -> None:
        if self.condition():
            self._make_snapshot(trainer)

    def on_error(self, trainer: Any, exc: BaseException, tb: Any) -> None:
        """Takes a snapshot when ``snapshot_on_error`` is set."""
        if self._snapshot_on_error:
            self._make_snapshot(trainer)

    def finalize(self) -> None:
        """Finalizes the writer."""
        finalize = getattr(self.writer, 'finalize', None)
        if finalize is not None:
            finalize()

    def serialize(self, serializer: Any) -> None:
        """Saves or restores the devices' random generators, so that resumed runs draw alike.

        A snapshot without them (written by Chainer or an older polychain) loads
        and leaves the generators as they are.
        """
        from polychain.serializers.serializer import Serializer
        entries = serializer['random']
        if isinstance(serializer, Serializer):
            states = generator_states()
            entries('devices', ' '.join(states))
            for spec, state in states.items():
                entries(spec, state)
            return
        try:
            listed = entries('devices', '')
        except KeyError:
            return
        # The first pass of a staged load hands back the '' given; the second the saved list.
        if listed:
            set_generator_states({spec: entries(spec, None) for spec in listed.split()})

    def _target_of(self, trainer: Any) -> Any:
        return trainer if self._target is None else self._target

    def _make_snapshot(self, trainer: Any) -> None:
        filename = self.filename
        filename = filename(trainer) if callable(filename) else filename.format(trainer)
        self.writer(filename, trainer.out, self._target_of(trainer))

    def _remove_stale_snapshots(self, outdir: str) -> None:
        for name in _find_stale_snapshots(self.filename, outdir, self.n_retains):
            os.remove(os.path.join(outdir, name))


def _find_snapshot_files(filename: str, outdir: str) -> list[tuple[float, str]]:
    """``(modification time, name)`` of the files in ``outdir`` fitting ``filename``, oldest first.

    Files are ordered by modification time, then by the numbers in their
    names (so ``snapshot_iter_10`` comes after ``snapshot_iter_9`` even when
    both were written within the file system's clock resolution).

    Args:
        filename: A format string such as ``'snapshot_iter_{.updater.iteration}'``.
        outdir: The directory to search.
    """
    if not os.path.isdir(outdir):
        return []
    pattern = _template_pattern(filename)
    found = []
    for name in os.listdir(outdir):
        path = os.path.join(outdir, name)
        if pattern.fullmatch(name) and os.path.isfile(path):
            stat = os.stat(path)
            found.append((stat.st_mtime_ns, _natural_key(name), stat.st_mtime, name))
    return [(mtime, name) for _, _, mtime, name in sorted(found)]


def _find_latest_snapshot(filename: str, outdir: str) -> str | None:
    """The name of the newest file in ``outdir`` fitting ``filename``, or ``None``."""
    files = _find_snapshot_files(filename, outdir)
    return files[-1][1] if files else None


def _find_stale_snapshots(filename: str, outdir: str, n_retains: int) -> Iterator[str]:
    """The names of the files fitting ``filename`` beyond the newest ``n_retains``, oldest first."""
    files = _find_snapshot_files(filename, outdir)
    for _, name in files[:max(len(files) - n_retains, 0)]:
        yield name


def _load_newest_intact(filename: str, outdir: str, target: Any) -> None:
    """Loads the newest snapshot of ``outdir`` that loads, warning about each one skipped.

    Raises:
        Exception: The newest snapshot's error, when none of them loads.
    """
    from polychain.serializers import load_npz
    first_error = None
    for _, name in reversed(_find_snapshot_files(filename, outdir)):
        path = os.path.join(outdir, name)
        try:
            load_npz(path, target)
            return
        except Exception as error:  # any unreadable snapshot: try the next older one
            warnings.warn(f'snapshot: skipped {path!r}, which cannot be loaded '
                          f'({type(error).__name__}: {error})', stacklevel=3)
            first_error = first_error or error
    if first_error is not None:
        raise first_error


_INTEGER_FIELD = re.compile(r'(^|\.)(iteration|epoch)$')
_FLOAT_TYPES = frozenset('eEfFgG%')


def _template_pattern(filename: str) -> re.Pattern[str]:
    """A pattern of the names ``filename`` can produce.

    A field formatted as an integer (``d``, or the trainer's ``iteration`` and
    ``epoch`` counters) matches digits only, one formatted as a float matches
    a decimal number, any other field one or more characters.
    """
    parts = []
    for literal, field, spec, _ in string.Formatter().parse(filename):
        parts.append(re.escape(literal))
        if field is None:
            continue
        kind = spec[-1:] if spec else ''
        if kind in _FLOAT_TYPES:
            parts.append(r'[-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|inf|nan)%?')
        elif kind == 'd' or (not kind and _INTEGER_FIELD.search(field)):
            parts.append(r'\d+')
        else:
            parts.append('.+?')
    return re.compile(''.join(parts))


def _temporary_dir_pattern(filename: str) -> re.Pattern[str]:
    """A pattern of the temporary directories :class:`Writer` makes for names fitting ``filename``.

    They are ``'tmp'`` + the file name + the 8 characters ``tempfile.mkdtemp`` adds.
    """
    return re.compile('tmp' + _template_pattern(filename).pattern + '[a-z0-9_]{8}')


def _natural_key(name: str) -> tuple[Any, ...]:
    return tuple(int(chunk) if chunk.isdigit() else chunk
                 for chunk in re.split(r'(\d+)', name))


def _always() -> bool:
    return True


def _writer_from(caller: str, savefun: Callable[..., None] | None,
                 writer: Writer | None) -> Writer:
    if savefun is not None and writer is not None:
        raise TypeError(f'{caller}: savefun and writer cannot be given together')
    return writer if writer is not None else SimpleWriter(savefun)


def snapshot(savefun: Callable[..., None] | None = None, filename: Any = _DEFAULT_FILENAME, *,
             target: Any = None, condition: Callable[[], bool] | None = None,
             writer: Writer | None = None, snapshot_on_error: bool = False,
             n_retains: int = -1, autoload: bool = False) -> Snapshot:
    """A trainer extension that saves the trainer (by default once per epoch).

    The snapshot holds everything needed to resume training: the updater
    (iterators, optimizers, models), the triggers and the extensions' state.
    Its default priority is -100, so it runs after the other extensions.

    Args:
        savefun: ``savefun(path, target)`` saves the file (default
            :func:`polychain.serializers.save_npz`); not with ``writer``.
        filename: A format string given the trainer, or a callable of it.
        target: The object to save instead of the trainer.
        condition: Called without arguments; snapshots are taken only when it
            returns ``True``.
        writer: A snapshot writer; not with ``savefun``.
        snapshot_on_error: Also save when training stops with an error.
        n_retains: Keep only the newest ``n_retains`` files (all when not positive).
        autoload: Load the newest snapshot in the trainer's ``out`` before training.

    Raises:
        TypeError: Both ``savefun`` and ``writer`` were given.
    """
    return Snapshot(target, condition, _writer_from('snapshot', savefun, writer), filename,
                    snapshot_on_error, n_retains, autoload)


def snapshot_object(target: Any, filename: Any, savefun: Callable[..., None] | None = None, *,
                    condition: Callable[[], bool] | None = None, writer: Writer | None = None,
                    snapshot_on_error: bool = False, n_retains: int = -1,
                    autoload: bool = False) -> Snapshot:
    """A trainer extension that saves ``target`` (a model, an optimizer, ...) once per epoch.

    Args:
        target: The object to save.
        filename: A format string given the trainer (e.g.
            ``'model_iter_{.updater.iteration}'``), or a callable of it.
        savefun: ``savefun(path, target)`` saves the file (default
            :func:`polychain.serializers.save_npz`); not with ``writer``.
        condition: Called without arguments; snapshots are taken only when it
            returns ``True``.
        writer: A snapshot writer; not with ``savefun``.
        snapshot_on_error: Also save when training stops with an error.
        n_retains: Keep only the newest ``n_retains`` files (all when not positive).
        autoload: Load the newest matching file into ``target`` before training.

    Raises:
        TypeError: Both ``savefun`` and ``writer`` were given.
    """
    return Snapshot(target, condition, _writer_from('snapshot_object', savefun, writer),
                    filename, snapshot_on_error, n_retains, autoload)
