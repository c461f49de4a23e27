"""Results kept between processes: a value that depends only on some texts (a sidecar's, a
notebook's) and on this package's code, worked out once and read back by the next build.

Validation reads every sidecar and every notebook's asks before each build (0.3 s of a
two-second rebuild); their results change only when those texts or the package do.
:func:`remembered` keys a value on the texts given and on :func:`package_digest`, so an edit
to either makes it be worked out again; a value is stored only once it was worked out without
an error, so a broken file is always checked and named. Files live in ``_build/cache/memo/``
(``make clean`` empties it); one that cannot be read is worked out again, one that cannot be
written is not kept, and a kind's folder is emptied when it holds :data:`LIMIT` files. Every
file the build keeps beside others that may write it at once is written by
:func:`write_whole`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

from .paths import BUILD_DIR, PACKAGE_DIR, REPO_ROOT

T = TypeVar("T")
MEMO_DIR = BUILD_DIR / "cache" / "memo"
LIMIT = 4000
"""Files kept of one kind; more, and the kind's folder is emptied before the next is kept."""


@lru_cache(maxsize=1)
def package_digest() -> str:
    """The package's files (code, schema, house style, theme) and the pinned requirements:
    part of the key of everything remembered here, of every notebook run
    (:func:`.execution.inputs_digest`), of a kept kernel (:func:`.kernels.kernel_key`) and
    of the staged book (:func:`.staging.renderer_digest`). Worked out once per process."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    requirements = REPO_ROOT / "requirements.txt"
    digest.update(requirements.read_bytes() if requirements.exists() else b"")
    return digest.hexdigest()


def remembered(kind: str, parts: tuple, work: Callable[[], T]) -> T:
    """``work()``, or what it gave before for the same ``kind``, ``parts`` (texts, names,
    flags) and package code."""
    digest = hashlib.sha256(package_digest().encode())
    for part in (kind, *parts):
        data = part if isinstance(part, bytes) else repr(part).encode()
        digest.update(len(data).to_bytes(8, "big") + data)
    path = MEMO_DIR / kind / f"{digest.hexdigest()[:32]}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except Exception:                # not there, or unreadable: work it out
        pass
    value = work()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        kept = list(path.parent.iterdir())
        if len(kept) >= LIMIT:       # the tests' many copies of the data: start afresh
            for old in kept:
                old.unlink(missing_ok=True)
        write_whole(path, pickle.dumps(value))
    except OSError:
        pass
    return value


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file beside it, renamed over it: a
    reader finds the old file or the new one whole, even when two builds (or a build's
    threads) write the same file at once."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)
