"""Runs example scripts in subprocesses and records what happened."""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from polychain_conformance.chainer_examples import fixtures
from polychain_conformance.chainer_examples.catalogue import ExampleScript

DEFAULT_TIMEOUT_SECONDS = 300.0
#: The device of a script without a device option.
NO_DEVICE = '-'
_EXCEPTION_LINE = re.compile(r'^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b')


@dataclass(frozen=True)
class Outcome:
    """What one run of one script did."""

    script: str
    device: str
    status: str  # 'passed', 'failed', 'xfail' (a known failure), 'timeout' or 'skipped'
    seconds: float
    reason: str = ''
    output: str = ''


def missing_modules(script: ExampleScript) -> list[str]:
    """The packages ``script`` imports that this Python lacks."""
    return [name for name in script.modules if importlib.util.find_spec(name) is None]


def failure_reason(stderr: str) -> str:
    """The exception line of a traceback (the last one), else the last line of ``stderr``."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        if _EXCEPTION_LINE.match(line):
            return line
    return lines[-1] if lines else 'exited with a non-zero status and printed nothing'


def environment(dataset_root: Path) -> dict[str, str]:
    """The environment of a script: datasets under ``dataset_root``, plots to files."""
    env = dict(os.environ)
    env.update(CHAINER_DATASET_ROOT=str(dataset_root), POLYCHAIN_DATASET_ROOT=str(dataset_root),
               NLTK_DATA=str(dataset_root / 'nltk_data'), MPLBACKEND='Agg',
               PYTHONDONTWRITEBYTECODE='1')
    return env


def command(examples: Path, script: ExampleScript, device: str) -> list[str]:
    """The command line running ``script`` on ``device`` through the bootstrap module."""
    arguments = [argument.replace('{device}', device) for argument in script.arguments]
    return [sys.executable, '-m', 'polychain_conformance.chainer_examples.bootstrap',
            str(examples / script.path), *arguments]


def run_script(examples: Path, script: ExampleScript, device: str, workdir: Path,
               dataset_root: Path, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Outcome:
    """Runs one script in ``workdir`` (its data written first) and returns its outcome."""
    if script.unavailable:
        return Outcome(script.path, device, 'skipped', 0.0, script.unavailable)
    missing = missing_modules(script)
    if missing:
        return Outcome(script.path, device, 'skipped', 0.0,
                       f'needs {", ".join(missing)}, not installed')
    workdir.mkdir(parents=True, exist_ok=True)
    fixtures.prepare(script.fixtures, dataset_root, workdir)
    timeout = max(timeout, script.min_timeout)
    start = time.perf_counter()
    try:
        completed = subprocess.run(
            command(examples, script, device), cwd=workdir, env=environment(dataset_root),
            input=script.stdin, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        return Outcome(script.path, device, 'timeout', time.perf_counter() - start,
                       f'still running after {timeout:.0f} s',
                       _text(expired.stdout) + _text(expired.stderr))
    seconds = time.perf_counter() - start
    output = completed.stdout + completed.stderr
    if completed.returncode == 0:
        return Outcome(script.path, device, 'passed', seconds, output=output)
    reason = failure_reason(completed.stderr)
    if script.known_failure and fnmatch.fnmatch(device, script.known_failure_devices):
        return Outcome(script.path, device, 'xfail', seconds,
                       f'{script.known_failure} ({reason})', output)
    return Outcome(script.path, device, 'failed', seconds, reason, output)


def _text(data: str | bytes | None) -> str:
    if data is None:
        return ''
    return data.decode(errors='replace') if isinstance(data, bytes) else data


def run_all(examples: Path, scripts: Iterable[ExampleScript], devices: Iterable[str],
            scratch: Path, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Iterator[Outcome]:
    """Runs ``scripts`` on each device, in order; a folder's scripts share a working directory.

    A script without a device option is reported once, under the device column
    ``-``; it runs again, unreported, in the folder of each later device, whose
    later scripts may read what it writes (``imagenet/compute_mean.py``).
    """
    scripts = list(scripts)
    for index, device in enumerate(devices):
        label = re.sub(r'[^\w.-]+', '_', device).strip('_') or 'device'
        for script in scripts:
            outcome = run_script(examples, script, device, scratch / label / script.family,
                                 scratch / label / 'datasets', timeout)
            if script.takes_device:
                yield outcome
            elif index == 0:
                yield replace(outcome, device=NO_DEVICE)
