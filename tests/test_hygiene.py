"""Repository hygiene: nothing built, no environments, no secrets, no large files tracked."""

import re
import subprocess

import pytest
from helpers import REPO



def tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return out.stdout.splitlines()


def test_no_build_output_environments_or_env_files_are_tracked():
    bad = [f for f in tracked_files()
           if re.search(r"(^|/)(\.venv|venv|_build|__pycache__|\.ipynb_checkpoints)(/|$)|(^|/)\.env$", f)]
    assert bad == []


def test_no_large_files_are_tracked():
    large = [f for f in tracked_files() if (REPO / f).stat().st_size > 2_000_000]
    assert large == []


def test_no_secret_looking_strings_are_tracked():
    pattern = re.compile(r"(api[_-]?key|secret|token|password)\s*[:=]\s*['\"][A-Za-z0-9_\-]{12,}['\"]", re.I)
    hits = [f for f in tracked_files() if (REPO / f).suffix in {".py", ".ipynb", ".yml", ".yaml", ".md", ".cfg", ".toml"}
            and pattern.search((REPO / f).read_text(encoding="utf-8", errors="ignore"))]
    assert hits == []


def test_committed_notebooks_are_sources_not_executed_copies():
    import nbformat
    for path in (REPO / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        tags = [t for c in nb.cells for t in c.metadata.get("tags", [])]
        assert "parameters" in tags and "injected-parameters" not in tags, path.name
        assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
