"""The build's kernels (labour_market_book.kernels): a kernel reused for a second notebook
shows it what a fresh kernel would; a failed notebook's kernel is not used again; kernels
kept for the next build are claimed by it, stopped when they belong to other code, and go
away when their folder does."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from helpers import make_notebook

from labour_market_book.errors import BuildError
from labour_market_book.execution import execute_notebooks
from labour_market_book.kernels import KernelPool, kept_minutes, stop_kept

pytestmark = pytest.mark.slow

# What a notebook can see of the kernel it runs in: its own names, the execution count, a
# warning (Python shows a warning once per place), matplotlib's settings, its environment.
LOOK = """
import os, sys
import matplotlib as mpl
import noisy                       # a module: it stays imported in a reused kernel
noisy.warn()
seen = {"names": sorted(k for k in globals() if not k.startswith("_")),
        "count": get_ipython().execution_count,
        "linewidth": mpl.rcParams["lines.linewidth"],
        "export": os.environ["LMB_EXPORT_DIR"],
        "pid": os.getpid(),
        "mine": "left_behind" in globals()}
mpl.rcParams["lines.linewidth"] = 9.5
left_behind = 1
print(seen)
"""


def _outputs(entry: Path) -> tuple[dict, str]:
    nb = nbformat.read(entry / "notebook.ipynb", as_version=4)
    cell = nb.cells[-1]
    text = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
    warned = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stderr")
    return eval(text), warned                       # the dict the notebook printed


def test_a_reused_kernel_shows_the_next_notebook_what_a_fresh_one_would(tmp_path):
    (tmp_path / "noisy.py").write_text("import warnings\n\ndef warn():\n"
                                       "    warnings.warn('once per place')\n")
    first = make_notebook(tmp_path / "first.ipynb", LOOK)
    second = make_notebook(tmp_path / "second.ipynb", LOOK)
    pool = KernelPool(tmp_path / "kernels", tmp_path, ["import matplotlib"])
    try:
        entries = execute_notebooks([first, second], {"reference_year": 2024}, tmp_path / "cache",
                                    jobs=1, kernels=pool)
    finally:
        pool.close()
    (a, warned_a), (b, warned_b) = _outputs(entries[first]), _outputs(entries[second])
    assert a["pid"] == b["pid"]                     # one kernel ran both
    assert b["names"] == a["names"] and not b["mine"]
    assert a["count"] == b["count"]                 # counted from 1 again
    assert b["linewidth"] == a["linewidth"] != 9.5  # matplotlib as after the imports
    assert "once per place" in warned_a and "once per place" in warned_b
    assert a["export"] != b["export"]               # each notebook its own export folder
    assert a["export"].startswith(str(tmp_path / "cache"))


def test_a_failed_notebooks_kernel_is_not_used_again(tmp_path):
    bad = make_notebook(tmp_path / "bad.ipynb", "import os\nprint(os.getpid())\nraise ValueError('boom')")
    good = make_notebook(tmp_path / "good.ipynb", "import os\nprint(os.getpid())")
    pool = KernelPool(tmp_path / "kernels", tmp_path, [])
    try:
        with pytest.raises(BuildError, match="bad.ipynb .* raised ValueError: boom"):
            execute_notebooks([bad], {"reference_year": 2024}, tmp_path / "cache", jobs=1, kernels=pool)
        assert pool.kernels == []                   # the failed one was shut down
        entries = execute_notebooks([good], {"reference_year": 2024}, tmp_path / "cache", jobs=1,
                                    kernels=pool)
    finally:
        pool.close()
    failed = nbformat.read(tmp_path / "failed" / "bad.ipynb", as_version=4)
    pid_bad = failed.cells[-1].outputs[0]["text"].strip()
    pid_good = nbformat.read(entries[good] / "notebook.ipynb", as_version=4).cells[-1].outputs[0]["text"].strip()
    assert pid_bad != pid_good


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def _ready(record: Path) -> None:
    """Wait until a kept kernel answers (it has made its imports and watches its folder)."""
    from jupyter_client import BlockingKernelClient
    kc = BlockingKernelClient(connection_file=json.loads(record.read_text())["connection_file"])
    kc.load_connection_file()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
    finally:
        kc.stop_channels()


def _wait_until_gone(pid: int, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def folder(tmp_path):
    """A build's folder of kept kernels; none is left behind, whatever the test did."""
    folder = tmp_path / "_build" / "kernels"
    yield folder
    stop_kept(folder)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="tells a kernel's process by /proc")
def test_kept_kernels_are_claimed_by_the_next_build_and_stopped_when_of_other_code(folder, tmp_path):
    notebook = make_notebook(tmp_path / "one.ipynb", "import os\nprint(os.getpid())")
    one = KernelPool(folder, tmp_path, ["import json"], keep=5)
    one.keep_for_next_build(2)
    one.close()
    records = sorted(folder.glob("kept-*.record"))
    pids = {json.loads(r.read_text())["pid"] for r in records}
    assert len(records) == 2 and all(_alive(p) for p in pids)

    two = KernelPool(folder, tmp_path, ["import json"], keep=5)
    two.start(1)                                     # claims one, leaves the other waiting
    try:
        entries = execute_notebooks([notebook], {"reference_year": 2024}, tmp_path / "cache",
                                    jobs=1, kernels=two)
    finally:
        two.close()
    ran_in = int(nbformat.read(entries[notebook] / "notebook.ipynb", as_version=4)
                 .cells[-1].outputs[0]["text"])
    assert ran_in in pids                            # a kept kernel ran the notebook
    assert _wait_until_gone(ran_in)                  # and was stopped after its build
    waiting = [json.loads(r.read_text())["pid"] for r in folder.glob("kept-*.record")]
    assert waiting == list(pids - {ran_in})

    other = KernelPool(folder, tmp_path, ["import csv"], keep=5)   # other imports: other code
    other.start(1)
    other.close()
    assert _wait_until_gone(waiting[0])              # the kernel of other code was stopped
    records = [json.loads(r.read_text()) for r in folder.glob("kept-*.record")]
    assert [r["key"] for r in records] == [other.key]   # the one it started, unused, waits
    assert stop_kept(folder) == 1 and _wait_until_gone(records[0]["pid"])


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="tells a kernel's process by /proc")
def test_a_kept_kernel_goes_when_its_folder_does_or_stop_kept_is_called(folder, tmp_path):
    pool = KernelPool(folder, tmp_path, [], keep=5)
    pool.keep_for_next_build(2)
    pool.close()
    first, second = (json.loads(r.read_text()) for r in sorted(folder.glob("kept-*.record")))
    assert stop_kept(folder) == 2 and _wait_until_gone(first["pid"]) and _wait_until_gone(second["pid"])
    pool.keep_for_next_build(1)
    (record,) = folder.glob("kept-*.record")
    pid = json.loads(record.read_text())["pid"]
    _ready(record)
    for path in folder.iterdir():                    # make clean: rm -rf _build
        path.unlink()
    assert _wait_until_gone(pid)


def test_lmb_warm_kernels_gives_minutes_or_a_clear_error(monkeypatch):
    monkeypatch.setenv("LMB_WARM_KERNELS", "0")
    assert kept_minutes() == 0
    monkeypatch.setenv("LMB_WARM_KERNELS", "2,5")
    assert kept_minutes() == 2.5
    monkeypatch.delenv("LMB_WARM_KERNELS")
    assert kept_minutes() == 20
    monkeypatch.setenv("LMB_WARM_KERNELS", "ja")
    with pytest.raises(BuildError, match="LMB_WARM_KERNELS='ja': give the minutes"):
        kept_minutes()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="tells a kernel's process by /proc")
def test_a_claimed_kernel_goes_when_its_build_is_killed(folder, tmp_path):
    import signal
    import subprocess
    import sys
    keeper = KernelPool(folder, tmp_path, ["import json"], keep=5)
    keeper.keep_for_next_build(1)
    keeper.close()
    build = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time; from pathlib import Path\n"
            "from labour_market_book.kernels import KernelPool\n"
            f"pool = KernelPool(Path({str(folder)!r}), Path({str(tmp_path)!r}), ['import json'], keep=5)\n"
            "pool.start(1); kernel = pool.idle.get(); kernel.prepare({}, Path('.'))\n"
            "print(kernel.pid, flush=True); time.sleep(600)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        pid = int(build.stdout.readline())
        assert _alive(pid) and list(folder.glob("kept-*.record")) == []   # claimed, in use
    finally:
        build.send_signal(signal.SIGKILL)                # the build dies without cleaning up
        build.wait()
    assert _wait_until_gone(pid)


def test_the_pools_threads_leave_no_event_loop_open(tmp_path):
    # jupyter_client's blocking calls make an event loop in the calling thread and never
    # close it; collected later, such a loop broke a test worker ("Invalid file descriptor")
    import gc
    import warnings

    from labour_market_book.execution import execute_for_exports
    notebooks = [make_notebook(tmp_path / f"n{i}.ipynb", "x = reference_year") for i in range(3)]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        pool = KernelPool(tmp_path / "kernels", tmp_path, [])
        try:
            execute_notebooks(notebooks, {"reference_year": 2024}, tmp_path / "cache", jobs=2,
                              kernels=pool)
            execute_for_exports(notebooks, {"reference_year": 2023}, tmp_path / "cache", jobs=2,
                                kernels=pool)
        finally:
            pool.close()
        gc.collect()
    assert [str(w.message) for w in caught if "event loop" in str(w.message)] == []
