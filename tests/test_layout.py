"""The package's import layout (issue 14), read from the source with ``ast``.

- no module imports another module's underscored name (shared helpers get
  non-underscored names inside private modules); scikit-learn's own private
  names (``_fit_context``...) are not ours and are allowed;
- no circle in the import graph between the package's modules, counting the
  imports inside functions (a lazy import hides a circle, it does not remove
  it);
- matplotlib is imported inside drawing functions only;
- the library never imports the command line (only ``__main__`` does).

Each rule is also run on a small bad example, so that the test can fail.
"""

import ast
from pathlib import Path

import pytest

import sklearn_tendency

PACKAGE = "sklearn_tendency"
ROOT = Path(sklearn_tendency.__file__).parent


def _module_name(path, root=ROOT, package=PACKAGE):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([package, *parts])


def _is_package(path):
    return path.name == "__init__.py"


def _submodules(root=ROOT, package=PACKAGE):
    """Every importable module of the package, Python or compiled."""
    names = set()
    for path in root.rglob("*"):
        if path.suffix in (".py", ".pyx") and "build" not in path.parts:
            names.add(_module_name(path, root, package))
    return names


def _imports(tree, name, is_package):
    """(target module, imported name or None, inside a function) per import."""
    package_of = name if is_package else name.rpartition(".")[0]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    found.append((alias.name, None, in_function))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package_of.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join(base + ([child.module] if child.module else []))
                else:
                    target = child.module
                for alias in child.names:
                    found.append((target, alias.name, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def _parse(root=ROOT, package=PACKAGE):
    modules = {}
    for path in sorted(root.rglob("*.py")):
        if "build" in path.parts:
            continue
        modules[_module_name(path, root, package)] = (
            ast.parse(path.read_text(), filename=str(path)),
            _is_package(path),
        )
    return modules


def private_name_imports(modules, submodules, package=PACKAGE):
    """``from <our module> import _name`` where ``_name`` is not a module.

    Dunder names (``__version__``) are a module's public metadata, not private.
    """
    bad = []
    for name, (tree, is_package) in modules.items():
        for target, imported, _ in _imports(tree, name, is_package):
            if imported is None or not (target == package or target.startswith(package + ".")):
                continue
            dunder = imported.startswith("__") and imported.endswith("__")
            if imported.startswith("_") and not dunder and f"{target}.{imported}" not in submodules:
                bad.append(f"{name}: from {target} import {imported}")
    return bad


def import_graph(modules, submodules, package=PACKAGE):
    """Edges between the package's modules (lazy imports included).

    Importing ``package.x`` runs the package's ``__init__`` first; that edge
    is implied for every module and is not counted, only the modules named.
    """
    graph = {name: set() for name in modules}
    for name, (tree, is_package) in modules.items():
        for target, imported, _ in _imports(tree, name, is_package):
            if not (target == package or target.startswith(package + ".")):
                continue
            if imported is not None and f"{target}.{imported}" in submodules:
                target = f"{target}.{imported}"
            if target in modules and target != name:
                graph[name].add(target)
    return graph


def find_cycle(graph):
    """One circle of the graph as a list of nodes, or None."""
    state = {}

    def dfs(node, path):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = dfs(nxt, path)
                if cycle:
                    return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = dfs(node, [])
            if cycle:
                return cycle
    return None


def module_level_matplotlib(modules):
    bad = []
    for name, (tree, is_package) in modules.items():
        for target, _, in_function in _imports(tree, name, is_package):
            top = (target or "").split(".")[0]
            if top in ("matplotlib", "mpl_toolkits") and not in_function:
                bad.append(f"{name}: {target}")
    return bad


def cli_imports(modules, package=PACKAGE):
    bad = []
    cli = f"{package}._cli"
    for name, (tree, is_package) in modules.items():
        if name in (f"{package}.__main__", cli):
            continue
        for target, imported, _ in _imports(tree, name, is_package):
            if target == cli or (target == package and imported == "_cli"):
                bad.append(name)
    return bad


MODULES = _parse()
SUBMODULES = _submodules()


def test_the_package_is_parsed():
    for name in (
        "sklearn_tendency._vat",
        "sklearn_tendency._ordering",
        "sklearn_tendency._cut_weights",
        "sklearn_tendency._display",
    ):
        assert name in MODULES
    assert "sklearn_tendency._vat_prim" in SUBMODULES


def test_no_underscored_name_crosses_modules():
    assert private_name_imports(MODULES, SUBMODULES) == []


def test_no_import_circle():
    assert find_cycle(import_graph(MODULES, SUBMODULES)) is None


def test_matplotlib_only_inside_functions():
    assert module_level_matplotlib(MODULES) == []


def test_library_never_imports_the_command_line():
    assert cli_imports(MODULES) == []


# The same rules on a small package written for the purpose: each must fail.
BAD_PACKAGE = {
    "__init__.py": "from ._a import f\n",
    "__main__.py": "from ._cli import main\n",
    "_a.py": (
        "import matplotlib.pyplot as plt\n"
        "from ._b import _helper\n"
        "from . import _kernel\n"
        "def f():\n"
        "    from sklearn.base import _fit_context\n"
    ),
    "_b.py": ("def _helper():\n    from ._a import f\n    from . import _cli\n    import matplotlib\n"),
    "_cli.py": "def main():\n    from sklearn_fake._a import f\n",
    "_kernel.pyx": "",
}


@pytest.fixture
def bad_package(tmp_path):
    root = tmp_path / "sklearn_fake"
    root.mkdir()
    for name, text in BAD_PACKAGE.items():
        (root / name).write_text(text)
    return _parse(root, "sklearn_fake"), _submodules(root, "sklearn_fake")


def test_rules_catch_a_bad_package(bad_package):
    modules, submodules = bad_package
    assert private_name_imports(modules, submodules, "sklearn_fake") == [
        "sklearn_fake._a: from sklearn_fake._b import _helper"
    ]
    cycle = find_cycle(import_graph(modules, submodules, "sklearn_fake"))
    assert cycle is not None and set(cycle) == {"sklearn_fake._a", "sklearn_fake._b"}
    assert module_level_matplotlib(modules) == ["sklearn_fake._a: matplotlib.pyplot"]
    assert cli_imports(modules, "sklearn_fake") == ["sklearn_fake._b"]
