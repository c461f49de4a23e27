"""Developer tools: the benchmark of build times, and re-executing the committed notebooks.

``make bench`` (:func:`benchmark`) builds the whole book in scratch copies of the repository,
in fresh processes: cold, again with nothing changed, and after one notebook changed, with
``make book`` and with Jupyter Book's own executor (``execute_notebooks: cache``); it also
measures the floor, what executing the notebooks cannot go below (a kernel that only makes the
notebooks' imports, one per notebook, two at a time) plus the render.
``make notebooks`` (:func:`execute_committed`) re-executes the committed notebooks in place
with ``edition.yml``'s parameters, so that nbval compares against fresh outputs.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from .edition import default_parameters
from .errors import BuildError, cell_name
from .execution import execute_notebooks, toc_notebooks
from .in_kernel import warm_imports
from .kernels import KernelPool, stop_kept
from .paths import BUILD_DIR, REPO_ROOT


def _repo_copy(target: Path) -> Path:
    """The repository's tracked files (as they are now) in ``target``: a scratch copy the
    benchmark may change."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        src = REPO_ROOT / name
        if src.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target / name)
    return target


def _touch_notebook(path: Path) -> None:
    """Change one notebook as an analyst would: a comment added to its last code cell."""
    nb = nbformat.read(path, as_version=4)
    cell = [c for c in nb.cells if c.cell_type == "code"][-1]
    cell.source += "\n# changed for the benchmark"
    nbformat.write(nb, path)


def _timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    """Run a command; its wall time in seconds and what it printed."""
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise BuildError(f"benchmark step failed: {' '.join(cmd)}\n{(result.stdout + result.stderr)[-2000:]}")
    return seconds, result.stdout


def imports_only(notebook: Path, target: Path) -> Path:
    """A copy of ``notebook`` that only makes its imports (its ``parameters`` cell and every
    ``import`` statement of its code cells): executing it is the floor below which the
    notebook's execution cannot go, however little its own code costs."""
    nb = nbformat.read(notebook, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    nb.cells = params + [nbformat.v4.new_code_cell("\n".join(warm_imports([notebook])))]
    nbformat.write(nb, target)
    return target


def floor(notebooks: list[Path], folder: Path, jobs: int | None = None) -> float:
    """Seconds to execute every notebook's imports-only copy (:func:`imports_only`) with
    papermill, ``jobs`` at a time (one per core by default), each in a fresh kernel of its
    own, as builds executed them before kernels were warmed and reused (issue 25's definition
    of the floor, kept so that the figures compare)."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = [imports_only(nb, folder / nb.name) for nb in notebooks]
    start = time.perf_counter()
    fresh = KernelPool(folder / "kernels", folder, None, reuse=False)   # a plain kernel each
    try:
        execute_notebooks(copies, default_parameters(), folder / "cache", jobs=jobs, force=True,
                          kernels=fresh)
    finally:
        fresh.close()
    return time.perf_counter() - start


def benchmark(year: int | None = None, *, jobs: int | None = None) -> None:
    """Print, for the whole book, the time of a cold build, of a rebuild with nothing
    changed and of a rebuild after one notebook changed, for ``make book`` and for Jupyter
    Book's own executor (``execute_notebooks: cache``) on the same book with the default
    parameters, both in scratch copies of the repository, in fresh processes; and the floor
    of a cold build (every notebook's imports only, executed as the build executes them,
    plus the render of the cold build) with the cold build's ratio to it."""
    parameters = default_parameters()
    year = year or parameters["reference_year"]
    python = sys.executable
    jb = str(Path(sys.executable).parent / "jupyter-book")
    changed = toc_notebooks()[-1].relative_to(REPO_ROOT)
    results = {}
    with tempfile.TemporaryDirectory(prefix="lmb-bench-") as tmp:
        for name in ("make book", "jupyter-book cache"):
            root = _repo_copy(Path(tmp) / name.replace(" ", "-"))
            env = dict(os.environ, PYTHONPATH=str(root / "src"),
                       PATH=f"{Path(python).parent}{os.pathsep}{os.environ.get('PATH', '')}")
            env.pop("LMB_DATA_DIR", None)
            env.pop("LMB_EXPORT_DIR", None)
            if name == "make book":
                cmd = [python, "-m", "labour_market_book", "build", "--year", str(year)]
                if jobs:
                    cmd += ["--jobs", str(jobs)]
            else:
                config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
                config["execute"] = {"execute_notebooks": "cache", "timeout": 600}
                (root / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                                  encoding="utf-8")
                cmd = [jb, "build", str(root), "--builder", "html"]
            try:
                cold, printed = _timed(cmd, root, env)
                again, _ = _timed(cmd, root, env)
                _touch_notebook(root / changed)
                one, _ = _timed(cmd, root, env)
            finally:
                stop_kept(root / "_build" / "kernels")    # make book's, kept for a next build
            size = sum(p.stat().st_size for p in (root / "_build" / "html").rglob("*") if p.is_file())
            results[name] = (cold, again, one, size)
            if name == "make book":
                render = re.search(r"render ([0-9.]+) s", printed)
                imports = floor(toc_notebooks(), Path(tmp) / "floor", jobs)
                floor_total = imports + (float(render.group(1)) if render else 0.0)
    print(f"\nbenchmark, reference year {year}, whole book ({len(toc_notebooks())} notebooks), "
          f"{jobs or os.cpu_count()} parallel jobs for make book; one changed notebook: {changed}")
    print(f"  {'':22} {'cold':>8} {'no change':>10} {'one notebook':>13} {'site':>9}")
    for name, (cold, again, one, size) in results.items():
        print(f"  {name:22} {cold:7.1f}s {again:9.1f}s {one:12.1f}s {size / 1e6:7.1f}MB")
    cold = results["make book"][0]
    print(f"  floor of a cold build: {floor_total:.1f}s (the notebooks' imports only, {imports:.1f}s, "
          f"plus the render); make book's cold build is {cold / floor_total:.2f} x the floor")


def literal(value) -> str:
    """A parameter as a Python literal in the house style: strings in double quotes, with
    any quote or backslash in them escaped (``"Hjørring"``, ``["Randers", "Hele landet"]``)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, bool) or value is None or isinstance(value, (int, float)):
        return repr(value)
    raise BuildError(f"a parameter must be text, a number or a list of them, not {value!r}")


def set_parameters_cell(nb, parameters: dict) -> bool:
    """Write ``parameters`` as literals into a notebook's ``parameters`` cell; True if changed."""
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    if len(cells) != 1:
        raise BuildError("a notebook needs exactly one cell tagged 'parameters'")
    source = "\n".join(f"{name} = {literal(value)}" for name, value in parameters.items())
    changed = cells[0].source != source
    cells[0].source = source
    return changed


def execute_committed(names: list[str] | None = None) -> None:
    """Re-execute the committed notebooks in place with the default parameters (``names``:
    only these notebooks, by file stem, e.g. ``ledigheden``).

    The parameters cells are first set to the literals of ``edition.yml``.

    Uses nbclient without timing metadata, so that a rerun with nothing changed leaves
    the files byte for byte the same. Exhibit CSVs go to a temporary folder.
    """
    with tempfile.TemporaryDirectory(prefix="lmb-exports-") as tmp:
        os.environ["LMB_EXPORT_DIR"] = tmp
        parameters = default_parameters()
        notebooks = toc_notebooks()
        unknown = sorted(set(names or []) - {p.stem for p in notebooks})
        if unknown:
            raise BuildError(f"no notebook {', '.join(unknown)} in _toc.yml (the book's: "
                             f"{', '.join(p.stem for p in notebooks)})")
        for nb_path in [p for p in notebooks if not names or p.stem in names]:
            nb = nbformat.read(nb_path, as_version=4)
            if set_parameters_cell(nb, parameters):
                print(f"parameters cell set from edition.yml: {nb_path.relative_to(REPO_ROOT)}")
            try:
                NotebookClient(nb, kernel_name="python3", record_timing=False,
                               resources={"metadata": {"path": str(nb_path.parent)}}).execute()
            except CellExecutionError as exc:
                log = BUILD_DIR / "failed" / f"{nb_path.stem}.log"
                log.parent.mkdir(parents=True, exist_ok=True)
                log.write_text(str(exc), encoding="utf-8")
                raise BuildError(f"{nb_path.name}: {exc.ename}: {' '.join(str(exc.evalue).split())[:200]} "
                                 f"(not written; traceback in {log})") from None
            for cell in nb.cells:
                cell.metadata.pop("execution", None)
            nbformat.write(nb, nb_path)
            print(f"executed in place: {nb_path.relative_to(REPO_ROOT)}", flush=True)


# -- one notebook, checked the way CI checks it ------------------------------------------------
SANITIZE = [(re.compile(r"/tmp/ipykernel_\d+/\d+\.py"), "IPYKERNEL_TEMP"),
            (re.compile(r"at 0x[0-9a-f]+>"), "at 0xADDRESS>")]
"""nbval's sanitizers (tests/nbval_sanitize.cfg): the noise it ignores."""


def _outputs(cell) -> dict[str, dict]:
    """A code cell's outputs by what they are: a glued value by its name, else its kind."""
    out = {}
    for i, output in enumerate(cell.get("outputs", [])):
        name = output.get("metadata", {}).get("scrapbook", {}).get("name")
        data = output.get("data") or {"text": output.get("text", "")}
        text = {k: "".join(v) if isinstance(v, list) else str(v) for k, v in data.items()}
        for pattern, replacement in SANITIZE:
            text = {k: pattern.sub(replacement, v) for k, v in text.items()}
        out[name or f"{output.get('output_type')} {i}"] = text
    return out


def _what_differs(key: str, old: dict, new: dict) -> str:
    """One line saying, in words, how an output changed."""
    if not old:
        return f"{key}: new output"
    if not new:
        return f"{key}: output gone"
    for mime in old.keys() | new.keys():
        if old.get(mime) == new.get(mime):
            continue
        if "svg" in mime or "image/svg" in old.get(mime, "") + new.get(mime, "") or \
                "data:image/svg+xml" in old.get(mime, ""):
            return f"{key}: the figure's picture changed"
        if "html" in mime and "<table" in old.get(mime, ""):
            return f"{key}: the table changed"
        before = re.sub(r"<[^>]+>", "", old.get(mime, ""))
        after = re.sub(r"<[^>]+>", "", new.get(mime, ""))
        words = [w for w in difflib.ndiff(before.split(), after.split()) if w[:1] in "+-"]
        return f"{key}: " + (" ".join(words[:12]) + (" …" if len(words) > 12 else "") if words else "its markup changed")
    return f"{key}: changed"


def check_notebook(stem: str, say=print) -> int:
    """``make notebook NB=<stem>``: re-validate one notebook as CI does (nbval: execute it,
    compare with its committed outputs). On a difference, say which cells and outputs
    changed and how, in words, and how to store an intended change. Returns 0 or 1."""
    notebooks = {p.stem: p for p in toc_notebooks()}
    if stem not in notebooks:
        raise BuildError(f"no notebook {stem} in _toc.yml (the book's: {', '.join(notebooks)})")
    path = notebooks[stem]
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             str(path.relative_to(REPO_ROOT))], cwd=REPO_ROOT, capture_output=True,
                            text=True)
    if result.returncode == 0:
        say(f"{path.relative_to(REPO_ROOT)}: outputs as committed (nbval passed in "
            f"{time.perf_counter() - start:.1f} s)")
        return 0
    committed = nbformat.read(path, as_version=4)
    fresh = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory(prefix="lmb-exports-") as tmp:
        os.environ["LMB_EXPORT_DIR"] = tmp
        try:
            NotebookClient(fresh, kernel_name="python3", record_timing=False,
                           resources={"metadata": {"path": str(path.parent)}}
                           ).execute(stderr=subprocess.DEVNULL)  # the kernel's start-up chatter
        except CellExecutionError as exc:
            say(f"{path.relative_to(REPO_ROOT)}: a cell fails: {exc.ename}: "
                f"{' '.join(str(exc.evalue).split())[:200]}")
            return 1
    say(f"{path.relative_to(REPO_ROOT)}: the outputs differ from the committed ones (nbval fails; "
        "cells numbered as nbval numbers them, the first code cell is Cell 0):")
    for line in differences(committed, fresh):
        say(line)
    say(f"If these changes are intended, `make notebooks NB={stem}` stores the new outputs "
        "(then commit the notebook); if not, undo the edit that caused them.")
    return 1


def differences(committed, fresh) -> list[str]:
    """What differs between a notebook's committed and fresh outputs, in words, cell by cell,
    each cell named as nbval names it (:func:`labour_market_book.errors.cell_name`)."""
    lines = []
    code = [(old, new) for old, new in zip(committed.cells, fresh.cells) if old.cell_type == "code"]
    for index, (old, new) in enumerate(code):
        before, after = _outputs(old), _outputs(new)
        changed = [_what_differs(k, before.get(k, {}), after.get(k, {}))
                   for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        if changed:
            first = (old.source.strip().splitlines() or [""])[0][:60]
            lines.append(f"  {cell_name(index)} ({first}):")
            lines += [f"    {line}" for line in changed]
    return lines
