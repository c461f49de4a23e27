"""The kernels papermill executes the notebooks in: started early, warmed with the book's
imports, reused within a build, and kept warm for the next build of the working copy.

Starting a Jupyter kernel and making the notebooks' imports (pandas, matplotlib, this package)
takes about 1.3 s on a two-core machine, more than most pages' own code; with a fresh kernel
per notebook a build paid it nine times. So (:class:`KernelPool`):

- ``make book`` asks for its kernels first thing (:func:`book_pool`, one per core, kept ones
  of an earlier build claimed first; ``cli.py``): they start and make the imports
  (:func:`.in_kernel.warm`, run by each kernel as it starts, before it answers) while the
  build imports its modules and validates the data.
- A kernel executes several notebooks of the build in turn, then the previous edition's light
  runs (:func:`.in_kernel.light`). Before each notebook :func:`.in_kernel.prepare` resets it
  (namespace, history, execution count, figures, matplotlib's settings, the warnings' filters)
  and sets the notebook's export and data folders: a notebook sees what a fresh kernel shows
  it, the modules imported already (``tests/test_kernels.py``; ``tests/test_build.py``: the
  executed notebooks have exactly the committed outputs, each made in a fresh kernel).
- A kernel whose notebook failed, or which died, is shut down, not reused; one that did not
  start is started once more.
- ``make book`` keeps kernels warm for the next build (``keep``): one it did not use, and fresh
  ones it starts when it has published (two in all), wait in ``_build/kernels/``. The next
  build of this working copy claims them (renaming a kernel's record makes it that build's)
  if they were started for the same package, pins and Python (:func:`kernel_key`); any other
  is stopped. An unclaimed kernel exits after ``LMB_WARM_KERNELS`` minutes (20 by default;
  ``0`` keeps none), or once its connection file is gone (``make clean``). Only the command
  line keeps kernels; the tests, and a build called from Python, start one only when a
  notebook is to run and leave none behind.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

from .errors import BuildError
from .in_kernel import warm_imports
from .memo import package_digest, write_whole
from .paths import NOTEBOOK_DIR, PACKAGE_DIR

DEFAULT_MINUTES = 20
"""How long a kernel kept for the next build waits to be claimed (``LMB_WARM_KERNELS``)."""


def kernel_did_not_start(exc: BaseException) -> bool:
    """Whether a kernel never came up (no answer within the start-up timeout, seen when
    kernels start at once on a loaded machine), before any cell ran."""
    return any(s in str(exc) for s in ("Kernel didn't respond", "Kernel died before replying"))


def kept_minutes() -> float:
    """``LMB_WARM_KERNELS``: minutes a kept kernel waits (0: keep none)."""
    text = os.environ.get("LMB_WARM_KERNELS", "").strip() or str(DEFAULT_MINUTES)
    try:
        minutes = float(text.replace(",", "."))
    except ValueError:
        minutes = -1
    if minutes < 0:
        raise BuildError(f"LMB_WARM_KERNELS={text!r}: give the minutes a kept kernel waits "
                         "for the next build, or 0 to keep none")
    return minutes


def kernel_key(imports: list[str]) -> str:
    """What a kept kernel was warmed with: the package and the pins
    (:func:`.memo.package_digest`), the Python, the installed libraries (their folder's last
    change: a ``pip install`` changes it), the module path and the imports. A build claims
    only a kernel of the same key."""
    digest = hashlib.sha256(package_digest().encode())
    libraries = Path(sysconfig.get_paths()["purelib"])
    installed = str(libraries.stat().st_mtime_ns) if libraries.is_dir() else ""
    for part in (sys.executable, installed, str(PACKAGE_DIR), os.environ.get("PYTHONPATH", ""),
                 json.dumps(imports)):
        digest.update(part.encode())
    return digest.hexdigest()[:20]


class Kernel:
    """One kernel: started here (``owner`` is its manager) or claimed from a kept record."""

    def __init__(self, connection_file: Path, pid: int | None, owner=None):
        self.connection_file, self.pid, self.owner = connection_file, pid, owner
        self.used = False
        self.until = 0.0     # a kept kernel: when it exits unless claimed (time.time())

    @classmethod
    def start(cls, folder: Path, cwd: Path, imports: list[str] | None, idle_seconds: float = 0,
              kept: bool = False) -> "Kernel":
        """Start a kernel (not waiting for it) that makes ``imports`` first; ``kept``: one
        that outlives this process and exits after ``idle_seconds`` unless claimed."""
        from jupyter_client import KernelManager
        name = f"kernel-{uuid.uuid4().hex[:12]}"
        km = KernelManager(kernel_name="python3", connection_file=str(folder / f"{name}.json"))
        env = dict(os.environ)
        for variable in ("LMB_EXPORT_DIR", "LMB_EXPORTS_ONLY"):
            env.pop(variable, None)
        arguments = []
        if imports is not None:
            env["LMB_WARM_IMPORTS"] = json.dumps(imports)
            env["LMB_KERNEL_IDLE_EXIT"] = str(idle_seconds if kept else 0)
            env["LMB_KERNEL_CONNECTION_FILE"] = str(km.connection_file)
            arguments = ["--IPKernelApp.exec_lines=['import labour_market_book.in_kernel as _lmb; "
                         "_lmb.warm(); del _lmb']"]
        # the kernel's own notices (start-up, "running over TCP") go to a log, not the build's
        log = open(folder / f"{name}.log", "ab")
        try:
            km.start_kernel(cwd=str(cwd), env=env, extra_arguments=arguments, stdout=log,
                            stderr=log, stdin=subprocess.DEVNULL, independent=kept)
        finally:
            log.close()
        pid = getattr(getattr(km, "provisioner", None), "pid", None)
        if kept:     # the manager goes with this process; the kernel and its file stay
            km.cleanup_connection_file = lambda: None
            _let_go(km)
        return cls(Path(km.connection_file), pid, None if kept else km)

    def manager(self):
        """A kernel manager for papermill that connects to this running kernel (papermill
        then neither starts nor shuts it down)."""
        return _connected_manager(self.connection_file, self.alive)

    def prepare(self, environment: dict[str, str], cwd: Path, timeout: float = 120) -> None:
        """:func:`.in_kernel.prepare` the kernel for a notebook (waiting, if it is still
        starting, until it has made its imports: a request waits in the socket until the
        kernel listens)."""
        self.call(f"_lmb.prepare({environment!r}, {str(cwd)!r}, {os.getpid()})", timeout,
                  "the kernel could not be prepared")
        self.used = True

    def call(self, code: str, timeout: float | None, failing: str) -> None:
        """Run ``code`` in the kernel (``_lmb`` is :mod:`.in_kernel` there), silently, and wait
        for its reply; a failure raises ``failing: <the exception>``."""
        from jupyter_client import BlockingKernelClient
        kc = BlockingKernelClient(connection_file=str(self.connection_file))
        kc.load_connection_file()
        kc.start_channels(iopub=False, stdin=False, hb=False, control=False)
        try:
            msg_id = kc.execute("import labour_market_book.in_kernel as _lmb; " + code,
                                silent=True, store_history=False)
            deadline = time.monotonic() + (timeout or float("inf"))
            while True:
                if not self.alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                try:
                    reply = kc.get_shell_msg(timeout=0.5)
                except queue.Empty:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds") from None
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"{failing}: {reply['content'].get('ename', '')}: "
                                   f"{reply['content'].get('evalue', '')}")
        finally:
            kc.stop_channels()

    def alive(self) -> bool:
        """Whether the kernel's process runs, asked of the process: jupyter_client's
        ``is_alive`` leaves an event loop in the asking thread, never closed (the build asks
        from its threads, and from inside nbclient's loop)."""
        process = getattr(getattr(self.owner, "provisioner", None), "process", None)
        if process is not None:
            return process.poll() is None
        return _is_our_kernel(self.pid, self.connection_file)

    def stop(self) -> None:
        """Shut the kernel down (its connection file goes with it)."""
        if self.owner is not None:
            try:
                self.owner.shutdown_kernel(now=True)
            except Exception:
                pass
            _let_go(self.owner)
        else:
            _stop_kept(self.connection_file, self.pid)
        for path in (self.connection_file, self.connection_file.with_suffix(".log")):
            path.unlink(missing_ok=True)


def _connected_manager(connection_file: Path, alive: Callable[[], bool]):
    """An asynchronous kernel manager (nbclient's kind) for a running kernel, whose clients
    wait for the kernel without the fixed pause of jupyter_client's ``wait_for_ready``, and
    which tells nbclient when the kernel's process is gone (``alive``)."""
    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager

    class QuickClient(AsyncKernelClient):
        async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
            # jupyter_client waits for 0.2 s of silence on IOPub after the kernel_info reply
            # (pinned 8.10); here: until IOPub brings this request's 'idle', which shows
            # that IOPub is connected, so no output of the first cell is lost
            deadline = time.monotonic() + (timeout or 60)
            while time.monotonic() < deadline:
                msg_id = self.kernel_info()
                try:
                    while (await self.shell_channel.get_msg(timeout=1))["parent_header"].get(
                            "msg_id") != msg_id:
                        pass
                    while True:
                        msg = await self.iopub_channel.get_msg(timeout=0.5)
                        if (msg["parent_header"].get("msg_id") == msg_id
                                and msg["content"].get("execution_state") == "idle"):
                            return
                except queue.Empty:
                    continue
            raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

        wait_for_ready = _async_wait_for_ready

    class Connected(AsyncKernelManager):
        clients: list = []

        @property
        def has_kernel(self) -> bool:
            return True

        async def _async_is_alive(self) -> bool:
            # jupyter_client says a kernel it does not own is always alive, so nbclient
            # would wait for ever on a kernel that died mid-notebook
            return alive()

        is_alive = _async_is_alive

        def client(self, **kwargs):
            kc = super().client(**kwargs)
            self.clients = [*self.clients, kc]
            return kc

        def stop_clients(self) -> None:
            """Stop the channels of papermill's client (nbclient leaves them running for
            a kernel it does not own; a heartbeat thread left behind can hang the exit)."""
            for kc in self.clients:
                kc.stop_channels()         # and destroys the client's own context
            self.clients = []
            _let_go(self)

        def cleanup_connection_file(self) -> None:
            pass                           # the kernel's, not this manager's

    km = Connected(kernel_name="python3", connection_file=str(connection_file))
    km.client_factory = QuickClient
    km.load_connection_file()
    return km


def _stop_in_thread(kernel: Kernel) -> None:
    """Stop a kernel from a thread of its own, and close the loop jupyter_client made there."""
    try:
        kernel.stop()
    finally:
        _close_thread_loop()


def _close_thread_loop() -> None:
    """Close the event loop nbclient or jupyter_client made for this thread (jupyter_core
    makes one per thread and never closes it; left to the garbage collector it complains
    about sockets closed before it). The next call in the thread gets a new one."""
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        return
    if not loop.is_running() and not loop.is_closed():
        loop.close()


def _let_go(km) -> None:
    """Close a manager's sockets and its ZeroMQ context now: left to the garbage collector,
    a context can be finalised before its sockets and then waits for them for ever (seen as
    a build that printed its last line and never exited)."""
    km._close_control_socket()
    if km._created_context and not km.context.closed:
        km.context.destroy(linger=0)


def _is_our_kernel(pid: int | None, connection_file: Path) -> bool:
    """Whether ``pid`` is still the kernel of ``connection_file`` (a pid can be reused: by its
    command line where /proc shows it, else by the process and the file both being there)."""
    try:
        if Path("/proc").is_dir():
            return bool(pid) and str(connection_file).encode() in Path(f"/proc/{pid}/cmdline").read_bytes()
        return bool(pid) and connection_file.exists() and os.kill(pid, 0) is None
    except OSError:
        return False


def _stop_kept(connection_file: Path, pid: int | None) -> None:
    if _is_our_kernel(pid, connection_file):
        try:
            os.kill(pid, signal.SIGTERM)
        except OSError:
            pass


class KernelPool:
    """The kernels of one build (see the module's opening comment). ``reuse=False`` and
    ``imports=None`` give each notebook a plain fresh kernel (the benchmark's floor)."""

    def __init__(self, folder: Path, cwd: Path, imports: list[str] | None, *,
                 reuse: bool = True, keep: float = 0):
        self.folder, self.cwd, self.imports = Path(folder), Path(cwd), imports
        self.reuse, self.keep = reuse, keep
        self.key = kernel_key(imports or []) if imports is not None else ""
        self.idle: queue.SimpleQueue[Kernel] = queue.SimpleQueue()
        self.lock = threading.Lock()
        self.kernels: list[Kernel] = []
        # the build's own kernels keep their connection files apart, so that a build that
        # stops at validation has written nothing under _build
        self.scratch = Path(tempfile.mkdtemp(prefix="lmb-kernels-"))

    def __enter__(self) -> "KernelPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self, count: int) -> None:
        """Have ``count`` kernels coming up: kept ones claimed first, the rest started."""
        claimed = self._claim(count) if self.imports is not None and count else []
        for kernel in claimed:
            self._add(kernel)
        for _ in range(count - len(claimed)):
            self._add(self._new())

    def _new(self) -> Kernel:
        """A new kernel. A pool that keeps kernels starts ones that can be kept (their files
        in its folder, able to outlive the build), so that one the build did not use waits
        for the next build instead of being stopped."""
        if self.keep and self.imports is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            kernel = Kernel.start(self.folder, self.cwd, self.imports, self.keep * 60, kept=True)
            kernel.until = time.time() + self.keep * 60
            return kernel
        return Kernel.start(self.scratch, self.cwd, self.imports)

    def _add(self, kernel: Kernel) -> None:
        with self.lock:
            self.kernels.append(kernel)
        self.idle.put(kernel)

    def _claim(self, count: int) -> list[Kernel]:
        """Kept kernels of this key, up to ``count`` (the others wait on); kept kernels of
        another key, or about to exit, or gone, are stopped and their records removed."""
        found = []
        for record in sorted(self.folder.glob("kept-*.record")):
            try:
                facts = json.loads(record.read_text(encoding="utf-8"))
                kernel = Kernel(Path(facts["connection_file"]), facts.get("pid"))
                kernel.until = float(facts.get("until", 0))
            except (OSError, ValueError, KeyError, TypeError):
                facts, kernel = None, None
            usable = (kernel is not None and facts.get("key") == self.key and kernel.alive()
                      and time.time() < kernel.until - 60)         # not about to exit
            if usable and len(found) >= count:
                continue
            taken = record.with_suffix(f".claimed-{os.getpid()}")
            try:
                record.rename(taken)         # one build claims it, even if two run at once
            except OSError:
                continue
            taken.unlink()
            if usable:
                found.append(kernel)
            elif kernel is not None:
                kernel.stop()
        return found

    def run(self, notebook: Path, output: Path, parameters: dict, environment: dict[str, str]) -> float:
        """Execute one notebook with papermill in a kernel of the pool; seconds taken. A
        kernel that does not come up is replaced once."""
        import papermill
        start = time.perf_counter()
        for attempt in (1, 2):
            kernel = self._next()
            km = None
            try:
                kernel.prepare(environment, notebook.parent)
                km = kernel.manager()
                # written once, when done (or failed), not again at every cell's start and end
                papermill.execute_notebook(str(notebook), str(output), parameters=parameters,
                                           progress_bar=False, log_output=False,
                                           kernel_name="python3", km=km,
                                           request_save_on_cell_execute=False)
            except BaseException as exc:
                self._discard(kernel)
                if attempt == 1 and kernel_did_not_start(exc):
                    print(f"kernel did not start ({exc}); trying once more", file=sys.stderr, flush=True)
                    continue
                raise
            finally:
                if km is not None:
                    km.stop_clients()
                _close_thread_loop()
            if self.reuse:
                self.idle.put(kernel)
            else:
                self._discard(kernel)
            break
        return time.perf_counter() - start

    def run_light(self, notebook: Path, parameters: dict, environment: dict[str, str]) -> float:
        """The light run of one notebook (:func:`.in_kernel.light`) in a kernel of the pool; seconds."""
        start = time.perf_counter()
        kernel = self._next()
        try:
            kernel.prepare(environment, notebook.parent)
            kernel.call(f"_lmb.light({str(notebook)!r}, {parameters!r}, {environment!r})", None,
                        notebook.name)
        except BaseException:
            self._discard(kernel)
            raise
        finally:
            _close_thread_loop()
        self.idle.put(kernel)
        return time.perf_counter() - start

    def _next(self) -> Kernel:
        try:
            return self.idle.get_nowait()
        except queue.Empty:
            pass
        kernel = self._new()
        with self.lock:
            self.kernels.append(kernel)
        return kernel

    def _discard(self, kernel: Kernel) -> None:
        with self.lock:
            if kernel in self.kernels:
                self.kernels.remove(kernel)
        kernel.stop()

    def close(self) -> None:
        """Stop the build's kernels; a claimed kernel the build did not use goes back to wait."""
        with self.lock:
            kernels, self.kernels = self.kernels, []
        threads = []
        for kernel in kernels:
            if not kernel.used and kernel.owner is None and self.keep:
                self._record(kernel, kernel.until)
            else:
                threads.append(threading.Thread(target=_stop_in_thread, args=(kernel,)))
                threads[-1].start()
        for thread in threads:
            thread.join()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _record(self, kernel: Kernel, until: float) -> None:
        write_whole(self.folder / f"kept-{kernel.connection_file.stem}.record",
                    json.dumps({"connection_file": str(kernel.connection_file), "until": until,
                                "pid": kernel.pid, "key": self.key}).encode())

    def keep_for_next_build(self, count: int) -> None:
        """Leave ``count`` warm kernels (counting those still waiting) for the next build."""
        if not self.keep or self.imports is None or count <= 0:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        waiting = len(list(self.folder.glob("kept-*.record")))
        for _ in range(count - waiting):
            kernel = self._new()
            self._record(kernel, kernel.until)


def book_pool(folder: Path, keep: float = 0) -> KernelPool:
    """A pool for the book's notebooks (their folder and imports); ``folder`` holds the
    kernels kept ``keep`` minutes for the next build."""
    return KernelPool(folder, NOTEBOOK_DIR, warm_imports(), keep=keep)


def stop_kept(folder: Path) -> int:
    """Stop every kernel waiting in ``folder`` (``make clean``, the benchmark); how many."""
    stopped = 0
    for record in sorted(Path(folder).glob("kept-*.record")):
        try:
            facts = json.loads(record.read_text(encoding="utf-8"))
            _stop_kept(Path(facts["connection_file"]), facts.get("pid"))
            stopped += 1
        except (OSError, ValueError, KeyError):
            pass
        record.unlink(missing_ok=True)
    return stopped
