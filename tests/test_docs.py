"""The developer docs and the messages point at sections that exist."""

from __future__ import annotations

import re

from helpers import REPO


def headings(path) -> list[str]:
    return [line.lstrip("#").strip() for line in path.read_text(encoding="utf-8").splitlines()
            if re.match(r"^#{1,6} ", line)]


def test_every_section_the_danish_update_guide_points_to_exists():
    guide = REPO / "docs" / "opdatering-da.md"
    text = " ".join(guide.read_text(encoding="utf-8").split())
    here = re.findall(r'[»"]([^«"]+)[«"] (?:nedenfor|ovenfor)', text)
    readme = re.findall(r"README'en under »([^«]+)«", text)
    assert here and readme
    assert [name for name in here if name not in headings(guide)] == []
    assert [name for name in readme if not any(h.startswith(name) for h in headings(REPO / "README.md"))] == []


def test_every_readme_section_a_message_or_the_makefile_names_exists():
    readme = headings(REPO / "README.md")
    files = [*sorted((REPO / "src").rglob("*.py")), REPO / "Makefile"]
    named = {(f.relative_to(REPO).as_posix(), name) for f in files
             for name in re.findall(r"README, '([^']+)'", f.read_text(encoding="utf-8"))}
    assert named
    assert sorted((f, n) for f, n in named if not any(h.startswith(n) for h in readme)) == []
