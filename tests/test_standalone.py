"""The repository stands alone: no tracked file names a path outside it.

A clone is all a newcomer has. Files beside a checkout on one machine (an extracted text,
notes kept elsewhere) are absent on the next, so no file may point at them. The one
exception is ``.ci/run``, which hands the optional report-text tests the extracted text
through ``LMB_REPORT_TEXT`` where a machine keeps it (docs/working.md).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from helpers import REPO

ALLOWED = {".ci/run", "tests/test_standalone.py"}
"""``.ci/run`` hands on the report's text; this file holds the patterns and examples it checks
for (its second test shows that they are found)."""
OUTSIDE_FOLDER = re.compile(r"(?<![\w.-])shared/")
"""A path into a folder named ``shared`` (where notes beside a checkout were kept); dataset
names such as ``shared_citizens_social`` and ``_shared/`` do not match."""
UPWARD = re.compile(r"(?<![\w.])((?:\.\./)+)[\w.-]*")
"""A relative path that starts by going up (``../data/x.csv``, ``../../notes.md``)."""


def tracked_text_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = []
    for name in out:
        path = REPO / name
        if name in ALLOWED or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue                                  # binary
        files.append(path)
    return files


def outside_references(path: Path, text: str) -> list[str]:
    """``file:line: path`` for each path in ``text`` that leaves the repository."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in OUTSIDE_FOLDER.finditer(line):
            found.append(f"{path.relative_to(REPO)}:{number}: {line[match.start():match.start() + 40].strip()}")
        for match in UPWARD.finditer(line):
            depth = match.group(1).count("../")
            if depth > len(path.parent.relative_to(REPO).parts):
                found.append(f"{path.relative_to(REPO)}:{number}: {match.group(0)}")
    return found


def test_no_tracked_file_names_a_path_outside_the_repository():
    found = [ref for path in tracked_text_files()
             for ref in outside_references(path, path.read_text(encoding="utf-8", errors="replace"))]
    assert found == []


def test_a_path_outside_is_found_and_one_inside_is_not():
    readme = REPO / "README.md"
    module = REPO / "src" / "labour_market_book" / "trace.py"
    assert outside_references(readme, "see ../shared/seed/x.txt") == [
        "README.md:1: shared/seed/x.txt", "README.md:1: ../shared"]
    assert outside_references(readme, "text in `shared/real-answers/`") == [
        "README.md:1: shared/real-answers/`"]
    assert outside_references(module, 'href="../appendix/datasaet.html"') == []
    assert outside_references(module, "../../../notes.md") == [
        "src/labour_market_book/trace.py:1: ../../../notes.md"]
    assert outside_references(readme, "data/shared_citizens_social.csv, theme/_shared/x") == []
