"""The README's plugin guide, followed literally: its two files make a package, pip installs it
with its entry point (offline, into a throw-away environment), and the conformance suite passes
every cell on ``@mynumpy``. Also: the guide covers every attribute and hook of ``Backend``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from polychain.backend import Backend

ROOT = Path(__file__).parents[2]
README = ROOT / 'README.md'
_BLOCK = re.compile(r'^```(\w+)\n(.*?)^```$', re.MULTILINE | re.DOTALL)


def _guide() -> str:
    text = README.read_text(encoding='utf-8')
    start = text.index('\n## Write a backend plugin\n')
    return text[start:text.index('\n## ', start + 1)]


def _guide_files() -> dict[str, str]:
    """The guide's code blocks whose first line is a comment naming a file of the package."""
    files = {}
    for _, body in _BLOCK.findall(_guide()):
        first = body.splitlines()[0]
        match = re.fullmatch(r'# (polychain-mynumpy/\S+)', first)
        if match:
            files[match.group(1)] = body
    return files


def _guide_commands() -> list[str]:
    """The commands of the guide's ``sh`` block."""
    [block] = [body for kind, body in _BLOCK.findall(_guide()) if kind == 'sh']
    return [line for line in block.splitlines() if line.strip()]


@pytest.fixture(scope='module')
def environment(tmp_path_factory) -> Path:
    """A throw-away virtual environment seeing this one's packages, with the guide's plugin
    installed by pip (editable, offline) into it; returns its Python."""
    top = tmp_path_factory.mktemp('guide')
    for name, body in _guide_files().items():
        (top / name).parent.mkdir(parents=True, exist_ok=True)
        (top / name).write_text(body, encoding='utf-8')
    home = top / 'venv'
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / 'bin' / 'python'
    site = subprocess.run([python, '-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'],
                          capture_output=True, text=True, check=True).stdout.strip()
    # This environment's packages (polychain, the suite, setuptools), their .pth files included.
    Path(site, 'this_environment.pth').write_text(
        f'import site; site.addsitedir({sysconfig.get_path("purelib")!r})\n')
    [install] = [c for c in _guide_commands() if ' install ' in c]
    target = install.split(' install ', 1)[1].split()
    run = subprocess.run([sys.executable, '-m', 'pip', '--python', str(python), 'install',
                          '--no-deps', '--no-index', '--no-build-isolation', *target],
                         cwd=top, capture_output=True, text=True, env=_env())
    assert run.returncode == 0, run.stdout + run.stderr
    return python


def _env() -> dict[str, str]:
    return dict(os.environ, PIP_NO_INDEX='1', PIP_FIND_LINKS='')


def _run(python: Path, command: str) -> subprocess.CompletedProcess[str]:
    """A command of the guide, with the throw-away environment's Python."""
    program, *arguments = command.split()
    assert program == '.venv/bin/python', command
    return subprocess.run([python, *arguments], cwd=python.parents[2], capture_output=True,
                          text=True, env=_env(), timeout=240)


def test_guide_names_both_files_and_the_commands():
    assert sorted(_guide_files()) == ['polychain-mynumpy/polychain_mynumpy.py',
                                      'polychain-mynumpy/pyproject.toml']
    commands = _guide_commands()
    assert [c.split()[0] for c in commands] == ['.venv/bin/pip', '.venv/bin/python',
                                                '.venv/bin/python']


def test_guide_plugin_is_listed_with_its_device(environment):
    [listing] = [c for c in _guide_commands() if c.endswith('polychain backends')]
    run = _run(environment, listing)
    assert run.returncode == 0, run.stdout + run.stderr
    line = next(line for line in run.stdout.splitlines() if line.split()[:1] == ['mynumpy'])
    assert 'available' in line and '@mynumpy' in line


def test_guide_plugin_passes_every_conformance_cell(environment):
    [check] = [c for c in _guide_commands() if 'polychain_conformance' in c]
    run = _run(environment, check)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = run.stdout.strip().splitlines()[-1]
    match = re.fullmatch(r'@mynumpy: (\d+) pass, 0 fail, 0 xfail, 0 xpass, (\d+) skip', summary)
    assert match and int(match.group(1)) > 1000, summary


def test_guide_covers_every_attribute_and_hook_of_backend():
    guide = _guide()
    public = {name for cls in Backend.__mro__[:-1] for name in vars(cls)
              if not name.startswith('_')}
    missing = sorted(name for name in public if f'`{name}' not in guide)
    assert missing == [], f'the README plugin guide does not mention {missing}'
    for used in ('Device(self,', 'native', 'describe()', 'synchronize(arrays)'):
        assert used in guide
