"""Command line: ``python -m polychain backends`` lists backends and their devices;
``python -m polychain info`` prints the runtime environment."""

from __future__ import annotations

import argparse
import sys

from polychain._runtime_info import print_runtime_info
from polychain.backend import list_backends


def _print_backends() -> int:
    infos = list_backends()
    if not infos:
        print('no backends are registered: install polychain with pip so that its entry '
              'points exist')
        return 1
    width = max(len(info.name) for info in infos)
    for info in infos:
        if info.available:
            print(f'{info.name:<{width}}  available    {info.description}; devices: '
                  f'{", ".join(info.devices) or "(none)"}')
        else:
            print(f'{info.name:<{width}}  unavailable  {info.reason}')
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m polychain')
    commands = parser.add_subparsers(dest='command', required=True)
    commands.add_parser('backends', help='list the registered backends and their devices')
    commands.add_parser('info', help='print the platform, library versions and backends')
    args = parser.parse_args(argv)
    if args.command == 'backends':
        return _print_backends()
    if args.command == 'info':
        print_runtime_info()
        return 0
    return 2


if __name__ == '__main__':
    sys.exit(main())
