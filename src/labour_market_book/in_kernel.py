"""What runs inside a kernel of the build (:mod:`.kernels` sends it there as ``_lmb``): the
imports a kernel makes as it starts (the notebooks' own, :func:`warm_imports`), making it for
each notebook what a fresh kernel would show it, and the light run of a notebook's code.

Kept apart from :mod:`.kernels`, which starts, lends and stops the kernels from the build's
side: nothing here talks to a kernel, and nothing there runs in one.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import json
import os
import sys
import threading
import time
from pathlib import Path

from .errors import cell_name
from .paths import NOTEBOOK_DIR

_after_imports: dict = {}
_claimed = threading.Event()
_owner = 0                  # the process of the build that claimed this kernel


def warm() -> None:
    """Run by a kernel as it starts (``IPKernelApp.exec_lines``): make the imports named in
    ``LMB_WARM_IMPORTS`` (the book's notebooks' import statements), note matplotlib's settings
    and the warnings' filters as they are after them, and freeze what the imports made (out of
    the garbage collector's way). A kernel kept for the next build exits after
    ``LMB_KERNEL_IDLE_EXIT`` seconds, or as soon as its connection file is gone (``make
    clean``), unless a build claims it first; once claimed, as soon as that build's process is
    gone (a build killed mid-way leaves no kernel behind)."""
    for statement in json.loads(os.environ.pop("LMB_WARM_IMPORTS", "[]")):
        try:
            exec(statement, {})
        except Exception:      # the notebook that makes this import will say what is wrong
            pass
    _note_state()
    # What the imports made lives as long as the kernel: out of the collector's way, so that
    # the full collection IPython's reset makes before each notebook, and those during it,
    # look at the notebook's objects only (about 45 ms a notebook less)
    gc.collect()
    gc.freeze()
    idle = float(os.environ.pop("LMB_KERNEL_IDLE_EXIT", "0") or 0)
    connection_file = os.environ.pop("LMB_KERNEL_CONNECTION_FILE", "")
    if idle > 0:
        threading.Thread(target=_wait_for_a_build, args=(connection_file, idle), daemon=True).start()


def _wait_for_a_build(connection_file: str, seconds: float) -> None:
    end = time.monotonic() + seconds
    while True:
        if _claimed.is_set():
            if _owner and not _running(_owner):
                os._exit(0)
        elif time.monotonic() > end or (connection_file and not os.path.exists(connection_file)):
            os._exit(0)
        time.sleep(2)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass
    return True


def _note_state() -> None:
    import warnings
    _after_imports["warnings"] = list(warnings.filters)
    if "matplotlib" in sys.modules:
        import matplotlib as mpl
        rc = dict(mpl.rcParams.copy())
        rc.pop("backend", None)
        _after_imports["rc"] = rc


def prepare(environment: dict[str, str], cwd: str, owner: int = 0) -> None:
    """Run in a kernel before each notebook: make it what a fresh kernel would show the
    notebook (see the module's opening comment). ``owner``: the build's process."""
    global _owner
    import warnings
    _owner = owner or _owner
    _claimed.set()
    if not _after_imports:
        _note_state()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    from IPython import get_ipython
    shell = get_ipython()
    shell.reset(new_session=True)             # namespace, history, Out; execution count 1
    if "rc" in _after_imports and "matplotlib" in sys.modules:
        rc = sys.modules["matplotlib"].rcParams
        getattr(rc, "_update_raw", lambda d: dict.update(rc, d))(_after_imports["rc"])
    warnings.resetwarnings()                  # forgets which warnings were shown already
    warnings.filters[:] = _after_imports["warnings"]
    os.environ.update(environment)
    os.chdir(cwd)


def code_cells(notebook: Path) -> list[tuple[str, bool]]:
    """A notebook's code cells as ``(source, whether it is the parameters cell)``, in order,
    read as JSON (no schema check: the build and the kernels read notebooks often)."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return [("".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             "parameters" in c.get("metadata", {}).get("tags", []))
            for c in cells if c["cell_type"] == "code"]


def warm_imports(notebooks: list[Path] | None = None) -> list[str]:
    """Every import statement of the notebooks' code cells (by default the book's, every
    notebook in ``notebooks/``), each once, in order."""
    if notebooks is None:
        notebooks = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
    statements: dict[str, None] = {}
    for notebook in notebooks:
        for source, is_parameters in code_cells(notebook):
            if is_parameters:
                continue
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    statements[ast.get_source_segment(source, node)] = None
    return list(statements)


def run_code_cells(notebook: Path, parameters: dict) -> None:
    """The light run of a notebook, here (a worker process, or a kernel of the build): its
    code cells run in a namespace of their own, in the notebook's folder, with the
    parameters set after the ``parameters`` cell as papermill's injected cell does, and
    nothing printed or kept but the exports the cells write."""
    namespace: dict = {"__name__": "__main__"}
    here = os.getcwd()
    os.chdir(Path(notebook).parent)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for index, (source, is_parameters) in enumerate(code_cells(notebook)):
                exec(compile(source, f"{notebook}, {cell_name(index)}", "exec"), namespace)
                if is_parameters:
                    namespace.update(parameters)       # as papermill's injected cell does
    finally:
        os.chdir(here)
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")


def light(notebook: str, parameters: dict, environment: dict[str, str]) -> None:
    """Run in a kernel: the light run of a notebook (:func:`run_code_cells`) with its
    export and data folders and ``LMB_EXPORTS_ONLY=1``, the environment put back after."""
    changed = {**environment, "LMB_EXPORTS_ONLY": "1"}
    saved = {name: os.environ.get(name) for name in changed}
    os.environ.update(changed)
    try:
        run_code_cells(Path(notebook), parameters)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
