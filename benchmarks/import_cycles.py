"""The largest import cycle of a package: strongly connected components of its import graph.

Every ``import`` and ``from ... import`` of each module counts, at module level and inside
functions alike, except those under ``if TYPE_CHECKING:`` (they never run). An edge goes to the
deepest module of the package that the import names (``from a.b import c`` reaches ``a.b.c``
when that is a module, else ``a.b``); the packages above it, which Python imports first, are
left out, since a package's ``__init__`` importing its modules would otherwise fuse every
module that imports anything into one cycle.

Run: ``python benchmarks/import_cycles.py [--root polychain] [--show]``
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path


def module_names(root: Path) -> dict[str, Path]:
    """The modules of the package at ``root``, by dotted name."""
    names = {}
    for path in sorted(root.rglob('*.py')):
        parts = list(path.relative_to(root.parent).with_suffix('').parts)
        if parts[-1] == '__init__':
            parts.pop()
        names['.'.join(parts)] = path
    return names


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == 'TYPE_CHECKING') or \
        (isinstance(test, ast.Attribute) and test.attr == 'TYPE_CHECKING')


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _deepest(name: str, modules: dict[str, Path]) -> set[str]:
    """The deepest module of the package that ``name`` lies in (none outside it)."""
    parts = name.split('.')
    for end in range(len(parts), 0, -1):
        if '.'.join(parts[:end]) in modules:
            return {'.'.join(parts[:end])}
    return set()


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """The modules each module imports, within the package."""
    graph = {}
    for name, path in modules.items():
        package = name if path.name == '__init__.py' else name.rpartition('.')[0]
        targets: set[str] = set()
        for node in _imports(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    targets |= _deepest(alias.name, modules)
                continue
            base = package
            for _ in range(node.level - 1 if node.level else 0):
                base = base.rpartition('.')[0]
            source = (f'{base}.{node.module}' if node.module else base) if node.level \
                else node.module or ''
            submodules = {f'{source}.{alias.name}' for alias in node.names} & modules.keys()
            if len(submodules) < len(node.names):
                targets |= _deepest(source, modules)
            targets |= submodules
        graph[name] = targets - {name}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def cycles(root: Path) -> list[set[str]]:
    """The import cycles of the package at ``root``: components of more than one module."""
    return [component for component in strongly_connected(import_graph(module_names(root)))
            if len(component) > 1]


def imports_inside_functions(path: Path) -> list[int]:
    """The line numbers of the import statements inside the functions of a module file."""
    tree = ast.parse(path.read_text(), str(path))
    return sorted(node.lineno for function in ast.walk(tree)
                  if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
                  for node in _imports(function))


def largest_cycle(root: Path) -> set[str]:
    """The modules of the largest import cycle of the package at ``root``."""
    return max(strongly_connected(import_graph(module_names(root))), key=len)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--root', default=str(Path(__file__).parents[1] / 'polychain'))
    parser.add_argument('--show', action='store_true', help='list the modules of the cycle')
    args = parser.parse_args()
    cycle = largest_cycle(Path(args.root))
    if len(cycle) == 1:
        print('no import cycle (largest strongly connected component: 1 file)')
        return
    print(f'largest import cycle: {len(cycle)} files')
    if args.show:
        print('\n'.join(sorted(cycle)))


if __name__ == '__main__':
    main()
