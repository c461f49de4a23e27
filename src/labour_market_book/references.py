"""What the notebooks ask of the data, checked before any notebook runs.

A notebook asks a dataset for measures and period rules by name
(``ras.select("share_of_population", reference_year, role="base")``), directly or through its
page module (``p83.Expenditure.of(expenditure, ...)``, whose code asks
``expenditure.period(reference_year, "series_start")``). A sidecar edit that renames a rule or
a measure would otherwise surface after the notebooks have run, as a traceback; here it is
one line naming the sidecar, the notebook and the name, in well under a second.

The names are read from the code (Python's ``ast``): a literal string in the place of a
measure or a rule. A name that is computed at run time is not checked here (the run then
names it).
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from .errors import DataValidationError, cell_name
from .execution import toc_notebooks
from .memo import remembered
from .metadata import line_of
from .paths import REPO_ROOT

MEASURE_FIRST = {"select", "breakdown", "describe_need", "series"}
"""Dataset methods whose first argument is a measure."""
RULE_KEYWORDS = {"role", "base_role", "first", "last"}
"""Keywords that name a period rule."""
RULE_POSITIONS = {"period": 1, "rule": 0, "span_label": (1, 2)}
"""Dataset methods that take a rule by position (index of the argument)."""


@dataclass(frozen=True)
class Ask:
    """One name a notebook asks a dataset for."""

    dataset: str
    kind: str            # "measure" or "rule"
    name: str
    where: str           # "indkomstoverfoersler, Cell 12" or "pages/indkomstoverfoersler.py, line 40"


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _asks_of(tree: ast.AST, receivers: dict[str, str], where) -> list[Ask]:
    """The measures and rules asked of the datasets bound to the names in ``receivers``."""
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id in receivers):
            continue
        dataset, method = receivers[node.func.value.id], node.func.attr
        here = where(node)
        if method in MEASURE_FIRST and node.args and _literal(node.args[0]):
            out.append(Ask(dataset, "measure", _literal(node.args[0]), here))
        if method == "places":
            measure = next((_literal(k.value) for k in node.keywords if k.arg == "measure"), None)
            if measure:
                out.append(Ask(dataset, "measure", measure, here))
        positions = RULE_POSITIONS.get(method, ())
        for i in positions if isinstance(positions, tuple) else (positions,):
            if len(node.args) > i and _literal(node.args[i]):
                out.append(Ask(dataset, "rule", _literal(node.args[i]), here))
        for keyword in node.keywords:
            if keyword.arg in RULE_KEYWORDS and _literal(keyword.value):
                out.append(Ask(dataset, "rule", _literal(keyword.value), here))
    return out


PAGES_DIR = REPO_ROOT / "src" / "labour_market_book" / "pages"


def _page_function(path: Path, dotted: list[str]) -> ast.FunctionDef | None:
    """The definition of the function a notebook calls in a page module (``Expenditure.of``
    in ``pages/indkomstoverfoersler.py``), read from its source, never imported."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    node = None
    for part in dotted:
        node = next((n for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == part),
                    None)
        if node is None:
            return None
        body = node.body
    return node if isinstance(node, ast.FunctionDef) else None


def _through_pages(call: ast.Call, modules: dict[str, Path], receivers: dict[str, str]) -> list[Ask]:
    """What a page function asks of the datasets a notebook passes it."""
    chain, node = [], call.func
    while isinstance(node, ast.Attribute):
        chain.insert(0, node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in modules:
        return []
    function = _page_function(modules[node.id], chain)
    if function is None:
        return []
    names = [a.arg for a in function.args.posonlyargs + function.args.args if a.arg not in ("self", "cls")]
    bound = {}
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Name) and arg.id in receivers and i < len(names):
            bound[names[i]] = receivers[arg.id]
    for keyword in call.keywords:
        if isinstance(keyword.value, ast.Name) and keyword.value.id in receivers:
            bound[keyword.arg] = receivers[keyword.value.id]
    file = modules[node.id].relative_to(PAGES_DIR.parent).as_posix()
    return _asks_of(function, bound, lambda n: f"{file}, line {n.lineno}") if bound else []


_ASKS: dict[tuple, list[Ask]] = {}
"""What a notebook asks, by its path and text and its page modules' texts: read once per
process (validation runs before every build, and the tests validate many data folders)."""


def notebook_asks(path: Path) -> list[Ask]:
    """Every measure and rule a notebook names literally, directly or through its page
    module, with the dataset it asks."""
    text = path.read_text(encoding="utf-8")
    key = (str(path), text, tuple((p.name, p.read_bytes()) for p in sorted(PAGES_DIR.glob("*.py"))))
    if key not in _ASKS:            # here, or in an earlier build (memo.py)
        _ASKS[key] = remembered("asks", key, lambda: _notebook_asks(path, text))
    return list(_ASKS[key])


def _notebook_asks(path: Path, text: str) -> list[Ask]:
    cells = [c for c in json.loads(text)["cells"] if c["cell_type"] == "code"]
    receivers: dict[str, str] = {}
    modules: dict[str, Path] = {}
    parsed = []
    for index, cell in enumerate(cells):
        try:
            tree = ast.parse("".join(cell["source"]))
        except SyntaxError:
            continue
        parsed.append((index, tree))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) \
                    and isinstance(node.value.func, ast.Attribute) \
                    and node.value.func.attr == "load_dataset" and node.value.args \
                    and _literal(node.value.args[0]):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        receivers[target.id] = _literal(node.value.args[0])
            if isinstance(node, ast.ImportFrom) and node.module == "labour_market_book.pages":
                for alias in node.names:
                    if (PAGES_DIR / f"{alias.name}.py").exists():
                        modules[alias.asname or alias.name] = PAGES_DIR / f"{alias.name}.py"
    out = []
    for index, tree in parsed:
        where = (lambda n, i=index: f"{path.stem}, {cell_name(i)}")
        out += _asks_of(tree, receivers, where)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                out += _through_pages(node, modules, receivers)
    return out


def check_references(datasets: dict, notebooks: list[Path] | None = None) -> None:
    """Refuse, with one line, a measure or rule that a notebook asks for and its dataset's
    sidecar does not declare (a renamed rule, a dropped measure)."""
    for path in notebooks if notebooks is not None else toc_notebooks():
        for ask in notebook_asks(path):
            ds = datasets.get(ask.dataset)
            if ds is None:
                continue
            declared = ds.meta["measures"] if ask.kind == "measure" else ds.meta["periods"]["rules"]
            if ask.name in declared:
                continue
            sidecar = ds.csv_path.with_suffix(".yaml")
            what = "measure" if ask.kind == "measure" else "period rule"
            section = ["measures"] if ask.kind == "measure" else ["periods", "rules"]
            raise DataValidationError(
                sidecar, f"the notebook {ask.where} asks for the {what} '{ask.name}', which this "
                         f"sidecar does not declare (it has: {', '.join(declared)}); rename it back, "
                         "or change the notebook", row=line_of(sidecar.read_text(encoding="utf-8"), section))
