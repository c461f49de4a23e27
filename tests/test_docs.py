"""The README and the handbook in docs/: every page reachable, every link and section they
name there, every command they show real."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from helpers import REPO
from labour_market_book import cli

DOCS = REPO / "docs"
README = REPO / "README.md"
PAGES = sorted(DOCS.glob("*.md"))
DOCUMENTS = [README, *PAGES]
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def headings(path: Path) -> list[str]:
    """A Markdown file's headings, outside fenced code."""
    out, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"^#{1,6} ", line):
            out.append(line.lstrip("#").strip())
    return out


def links(path: Path) -> list[str]:
    """The relative Markdown links of a file (no web addresses, no in-page anchors)."""
    return [t for t in _LINK.findall(path.read_text(encoding="utf-8"))
            if not re.match(r"^[a-z]+:", t) and not t.startswith("#")]


def code(path: Path) -> str:
    """What a reader would type: fenced blocks and inline code spans of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M)
    spans = re.findall(r"`([^`\n]+)`", re.sub(r"^```.*?^```", "", text, flags=re.S | re.M))
    return "\n".join(blocks + spans)


def test_the_readme_is_short_and_starts_with_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    first_code = code(README).split("\n")
    assert [c.split("#")[0].strip() for c in first_code[:2]] == ["make book", "make test"]


def test_every_link_of_the_readme_and_the_handbook_resolves():
    broken = []
    for doc in DOCUMENTS:
        for target in links(doc):
            path = (doc.parent / target.split("#")[0]).resolve()
            if not path.exists():
                broken.append(f"{doc.relative_to(REPO)}: {target}")
    assert broken == []


def test_every_handbook_page_is_reachable_from_the_readme():
    reached, todo = set(), [README.resolve()]
    while todo:
        doc = todo.pop()
        if doc in reached:
            continue
        reached.add(doc)
        todo += [target for t in links(doc) if t.split("#")[0].endswith(".md")
                 and (target := (doc.parent / t.split("#")[0]).resolve()).exists()]
    assert [p.name for p in PAGES if p.resolve() not in reached] == []


def test_every_task_the_readme_had_has_its_page_in_the_handbook():
    """Each section the long README once held is a heading of a docs/ page."""
    found = {h for page in PAGES for h in headings(page)}
    for section in ("Adding a new year", "Fetching from the sources (`make data`)",
                    "Where the data come from", "While you work", "The print edition (`make pdf`)",
                    "How to cite", "How the book is built", "Speed", "Design decisions",
                    "Editions", "Writing a page", "When a test fails", "Seals"):
        assert any(h.startswith(section) for h in found), section


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][a-z-]*):", (REPO / "Makefile").read_text(), flags=re.M))


def make_variables() -> set[str]:
    line = re.search(r"^KNOWN_VARIABLES := (.*)$", (REPO / "Makefile").read_text(), flags=re.M)
    return set(line.group(1).split())


def shown_make_commands(doc: Path) -> list[tuple[str, list[str]]]:
    """Each `make <target> [VAR=…]` a document shows, with the variables it sets."""
    out = []
    for line in code(doc).splitlines():
        for match in re.finditer(r"(?:^|[\s$(;&|])make ([a-z][a-z-]*)((?: +[A-Z_]+=(?:\"[^\"]*\"|\S+))*)", line):
            out.append((match.group(1), re.findall(r"([A-Z_]+)=", match.group(2))))
    return out


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_make_command_the_docs_show_exists(doc):
    targets, variables = make_targets(), make_variables()
    shown = shown_make_commands(doc)
    assert [t for t, _ in shown if t not in targets] == []
    assert [(t, v) for t, vs in shown for v in vs if v not in variables] == []


def cli_commands_shown(doc: Path) -> list[str]:
    return re.findall(r"python -m labour_market_book ([a-z][a-z-]*)", code(doc))


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_command_line_command_the_docs_show_exists(doc):
    unknown = []
    for command in cli_commands_shown(doc):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            with pytest.raises(SystemExit) as exit_:
                cli.main([command, "--help"])
        if exit_.value.code != 0:
            unknown.append(command)
    assert unknown == []


def test_the_command_checks_can_fail(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("Run `make bok YEAR=2025` or `make book YAER=2025`, then\n"
                   "```bash\npython -m labour_market_book biuld\n```\n", encoding="utf-8")
    assert shown_make_commands(doc) == [("bok", ["YEAR"]), ("book", ["YAER"])]
    assert "bok" not in make_targets() and "YAER" not in make_variables()
    assert cli_commands_shown(doc) == ["biuld"]
    with contextlib.redirect_stderr(io.StringIO()), pytest.raises(SystemExit) as exit_:
        cli.main(["biuld", "--help"])
    assert exit_.value.code == 2


def test_every_section_the_danish_update_guide_points_to_exists():
    guide = DOCS / "opdatering-da.md"
    text = " ".join(guide.read_text(encoding="utf-8").split())
    here = re.findall(r'[»"]([^«"]+)[«"] (?:nedenfor|ovenfor)', text)
    there = re.findall(r"\]\(([a-z-]+\.md)\) under »([^«]+)«", text)
    assert here and there
    assert [name for name in here if name not in headings(guide)] == []
    assert [(page, name) for page, name in there
            if not any(h.startswith(name) for h in headings(DOCS / page))] == []


def test_every_docs_page_a_message_or_the_makefile_names_exists():
    files = [*sorted((REPO / "src").rglob("*.py")), REPO / "Makefile"]
    named = {(f.relative_to(REPO).as_posix(), name) for f in files
             for name in re.findall(r"docs/([A-Za-z-]+\.md)", f.read_text(encoding="utf-8"))}
    assert named
    assert sorted((f, n) for f, n in named if not (DOCS / n).exists()) == []
