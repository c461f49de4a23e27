"""The package's shape: what a newcomer relies on when reading it (docs/architecture.md).
No import circle, no dependency hidden in a function, no private name used across modules,
an opening comment in every module, every environment variable documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from helpers import REPO

PACKAGE = REPO / "src" / "labour_market_book"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")
DEFERRED = {
    # (module, imported name): why the import waits until the function runs
    ("kernels.py", "papermill"): "only a build with a notebook to run needs it",
    ("kernels.py", "jupyter_client"): "only a build with a notebook to run needs it",
    ("kernels.py", "jupyter_client.asynchronous"): "only a build with a notebook to run",
    ("kernels.py", "jupyter_client.manager"): "only a build with a notebook to run",
    ("in_kernel.py", "IPython"): "runs inside the kernel",
    ("in_kernel.py", "warnings"): "runs inside the kernel",
    ("in_kernel.py", "matplotlib"): "runs inside the kernel, after the notebooks' imports",
    ("execution.py", "matplotlib"): "the light run's worker picks its backend first",
    ("execution.py", "matplotlib.pyplot"): "the light run's worker picks its backend first",
    ("rendering.py", "jupyter_book.sphinx"): "imported by warm_renderer's thread meanwhile",
    ("rendering.py", "myst_nb.sphinx_ext"): "warm_renderer's thread",
    ("rendering.py", "sphinx.application"): "warm_renderer's thread",
    ("rendering.py", "sphinx_book_theme"): "warm_renderer's thread",
    ("rendering.py", "sphinx.builders.html"): "warm_renderer's thread",
    ("style.py", "matplotlib_inline.backend_inline"): "present only inside IPython",
}


def _name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")


def _relative_imports(path: Path, nodes) -> list[tuple[str, ast.ImportFrom]]:
    package = _name(path).split(".")[: -1 if path.name != "__init__.py" else None]
    out = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            targets = [node.module] if node.module else [a.name for a in node.names]
            out += [(".".join(base + [t]), node) for t in targets]
    return out


def test_no_two_modules_import_each_other_even_through_others():
    graph = {_name(p): {m for m, _ in _relative_imports(p, ast.parse(p.read_text()).body)}
             for p in MODULES}
    state: dict[str, int] = {}
    cycles = []

    def visit(module, stack):
        state[module] = 1
        for dep in sorted(graph.get(module, ())):
            if dep in graph and state.get(dep) == 1:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep in graph and not state.get(dep):
                visit(dep, stack + [dep])
        state[module] = 2

    for module in sorted(graph):
        if not state.get(module):
            visit(module, [module])
    assert cycles == []


def test_no_dependency_is_hidden_in_a_function():
    hidden = []
    for path in MODULES:
        tree = ast.parse(path.read_text())
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [("." * node.level) + (node.module or "")])
                for name in names:
                    key = (path.relative_to(PACKAGE).as_posix(), name)
                    if path.name == "cli.py":        # each command imports its own (cli.py says why)
                        continue
                    if key not in DEFERRED:
                        hidden.append(f"{key[0]}:{node.lineno} {name}")
    assert hidden == []


def test_no_private_name_is_imported_from_another_module():
    private = [f"{p.relative_to(PACKAGE)}:{node.lineno} {alias.name}"
               for p in MODULES for _, node in _relative_imports(p, ast.walk(ast.parse(p.read_text())))
               for alias in node.names if alias.name.startswith("_")]
    assert private == []


def test_every_module_says_what_it_is_for():
    assert [p.name for p in MODULES if not ast.get_docstring(ast.parse(p.read_text()))] == []


def test_every_environment_variable_read_is_documented():
    read = set()
    for path in MODULES:
        read |= set(re.findall(r"""environ(?:\.get)?[\[(]\s*["']([A-Z_]+)["']""", path.read_text()))
        read |= set(re.findall(r'KEY_VARIABLE = "([A-Z_]+)"', path.read_text()))
    documented = ast.get_docstring(ast.parse((PACKAGE / "paths.py").read_text()))
    readme = "\n".join(p.read_text(encoding="utf-8")
                       for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])
    read -= {"PATH"}                                  # the system's, passed on by the benchmark
    assert read >= {"LMB_DATA_DIR", "LMB_EXPORT_DIR", "LMB_EXPORTS_ONLY", "LMB_STATBANK_URL",
                    "LMB_JOBINDSATS_URL", "JOBINDSATS_API_KEY"}
    assert [v for v in sorted(read) if v not in documented or v not in readme] == []


@pytest.mark.parametrize("module", ["build.py", "execution.py", "staging.py", "rendering.py",
                                    "changes.py", "changes_page.py", "devtools.py"])
def test_the_build_layer_is_split_by_job(module):
    """build.py only orchestrates; changes.py compares without importing the build, and
    changes_page.py writes its page from what it compares."""
    imports = {m for m, _ in _relative_imports(PACKAGE / module,
                                               ast.parse((PACKAGE / module).read_text()).body)}
    layer = {"labour_market_book." + m for m in ("build", "execution", "staging", "rendering",
                                                 "devtools", "changes", "changes_page")}
    allowed = {
        "build.py": layer - {"labour_market_book.build", "labour_market_book.devtools"},
        "execution.py": set(), "rendering.py": set(), "changes.py": set(),
        "changes_page.py": {"labour_market_book.changes"},
        "staging.py": {"labour_market_book.execution"},
        "devtools.py": {"labour_market_book.execution"},
    }[module]
    assert imports & layer <= allowed
    if module == "build.py":
        source = (PACKAGE / "build.py").read_text()
        body = source[source.index("def build_book("):source.index("class Phases")]
        assert len(body.splitlines()) <= 45          # fits on one screen


NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_only_narrate(notebook):
    """The package computes: no notebook filters a dataset's frame itself (selections go
    through the Dataset's methods and the page's module in pages/), and no code cell is
    longer than 40 lines."""
    import json
    cells = [("".join(c["source"]), i) for i, c in
             enumerate(json.loads(notebook.read_text(encoding="utf-8"))["cells"]) if c["cell_type"] == "code"]
    assert [i for source, i in cells if ".frame[" in source or ".frame.loc[" in source] == []
    assert [(i, len(source.splitlines())) for source, i in cells if len(source.splitlines()) > 40] == []
    assert (PACKAGE / "pages" / f"{notebook.stem}.py").exists() or notebook.stem == "borgere_uden_for_arbejdsstyrken"
