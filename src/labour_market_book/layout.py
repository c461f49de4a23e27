"""The reader's page: an executed notebook laid out for the publication.

A notebook is the analysts' workbench: its Markdown cells place every exhibit the report has
(``{glue:figure}`` blocks), whatever an edition holds. The build lays each executed notebook
out for the reader (:func:`reader_notebook`), from what the page wrote when it finished
(``<page>-layout.json``, :meth:`.exhibits.Page.finish`) and what it glued:

- no code: cells shown folded (``hide-input``) lose their input (``remove-input``), and the
  parameters cells are removed;
- an exhibit without numbers is not placed: its block goes, and the page's one sentence on
  the report's exhibits it does not show (:mod:`.omissions`) stands where the first of them
  would have stood, with the labels of all of them, so that links to them still land;
- a paragraph whose glued text is empty goes, and so does a heading whose section is left
  with nothing to read; a section left with only that sentence keeps the sentence, without
  its heading.

It is pure: a notebook and its glued texts in, a notebook out. Notebooks themselves are
never changed; only the staged copy is.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .memo import remembered

HIDDEN_CELL_TAGS = {"parameters", "injected-parameters"}
FENCE = re.compile(r"^(?P<ticks>`{3,}|:{3,})\s*(?:\{(?P<directive>[\w:-]+)\}\s*(?P<argument>.*))?$")
HEADING = re.compile(r"^(?P<level>#{1,6})\s")
TARGET = re.compile(r"^\((?P<label>[^)\s]+)\)=\s*$")
DOWNLOAD_ONLY = re.compile(r"^(?:\s*(?:<a [^>]*\bdownload\b[^>]*>[^<]*</a>|[.·]|Hent[^<]*:)\s*)+$", re.S)


@dataclass
class Block:
    """A piece of a Markdown cell: a heading, a target, a fenced directive or a paragraph."""

    kind: str            # "heading", "target", "directive", "text", "blank"
    lines: list[str]
    cell: int
    level: int = 0       # a heading's level
    directive: str = ""  # a directive's name (glue:figure, glue:md, glue, ...)
    argument: str = ""   # its argument (the glue key or exhibit id)
    content: str = "content"   # "content", "weak" (only the omission sentence), "none", "footer"


def split_blocks(text: str, cell: int) -> list[Block]:
    """A Markdown cell's source as blocks (fences nest by their number of backticks)."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = FENCE.match(line)
        if fence:
            ticks = fence.group("ticks")
            j = i + 1
            while j < len(lines) and lines[j].strip() != ticks:
                j += 1
            blocks.append(Block("directive", lines[i:j + 1], cell, directive=fence.group("directive") or "",
                                argument=(fence.group("argument") or "").strip()))
            i = j + 1
        elif HEADING.match(line):
            blocks.append(Block("heading", [line], cell, level=len(HEADING.match(line).group("level"))))
            i += 1
        elif TARGET.match(line):
            blocks.append(Block("target", [line], cell, argument=TARGET.match(line).group("label")))
            i += 1
        elif not line.strip():
            blocks.append(Block("blank", [line], cell, content="none"))
            i += 1
        else:
            j = i
            while (j < len(lines) and lines[j].strip() and not FENCE.match(lines[j])
                   and not HEADING.match(lines[j]) and not TARGET.match(lines[j])):
                j += 1
            blocks.append(Block("text", lines[i:j], cell))
            i = j
    return blocks


def glued_markdown(nb) -> dict[str, str]:
    """Glue key -> the Markdown (or plain text) a notebook glued, from its outputs."""
    out = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if not name:
                continue
            data = output.get("data", {})
            markdown = "application/papermill.record/text/markdown"
            text = data[markdown] if markdown in data else data.get(
                "application/papermill.record/text/plain", "")
            out[name] = "".join(text) if isinstance(text, list) else str(text)
    return out


def _visible_outputs(cell) -> bool:
    """Whether a code cell shows the reader anything (outputs other than glue and streams)."""
    tags = set(cell.metadata.get("tags", []))
    if "remove-cell" in tags or "remove-output" in tags or HIDDEN_CELL_TAGS & tags:
        return False
    return any(o.get("output_type") in ("display_data", "execute_result")
               and "scrapbook" not in o.get("metadata", {}) for o in cell.get("outputs", []))


def _classify(block: Block, glued: dict[str, str], sentence_key: str | None) -> str:
    if block.kind in ("blank", "target"):
        return "none"
    if block.kind == "heading":
        return "heading"
    if block.kind == "directive" and block.directive == "glue:md":
        if block.argument == sentence_key:
            return "weak"
        return "content" if glued.get(block.argument, "").strip().strip("'\"") else "none"
    if block.kind == "text":
        body = "\n".join(block.lines).strip()
        if body == "---" or DOWNLOAD_ONLY.match(body):
            return "footer"
    return "content"


def _sentence_block(labels: list[str], key: str | None, cell: int) -> list[Block]:
    """The labels of the exhibits not placed, on the page's sentence about them (or on an
    empty container where the page says nothing: links to them still land here)."""
    targets = [Block("target", [f"({label})="], cell, argument=label, content="none")
               for label in labels]
    inner = [f"```{{glue:md}} {key}", ":format: myst", "```"] if key else []
    body = ["````{container} udeladte", *inner, "````"]
    return targets + [Block("directive", body, cell, directive="container", argument="udeladte",
                            content="weak" if key else "none")]


def reader_notebook(nb, layout: dict):
    """The executed notebook ``nb`` laid out for the reader (see the module's docstring),
    from the page's ``layout`` (``omitted``, ``sentence_at``, ``sentence_key``)."""
    nb = copy.deepcopy(nb)
    glued = glued_markdown(nb)
    omitted = list(layout.get("omitted", []))
    sentence_at, key = layout.get("sentence_at"), layout.get("sentence_key")
    anchor = sentence_at or next(iter(omitted), None)
    for cell in nb.cells:
        tags = list(cell.metadata.get("tags", []))
        if cell.cell_type == "code":
            if HIDDEN_CELL_TAGS & set(tags) and "remove-cell" not in tags:
                tags.append("remove-cell")
            tags = ["remove-input" if t == "hide-input" else t for t in tags]
            if tags:
                cell.metadata["tags"] = list(dict.fromkeys(tags))
    # every Markdown block and every code cell with something to see, in reading order
    stream: list[Block] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for block in split_blocks(cell.source, index):
                if block.kind == "directive" and block.directive == "glue:figure" \
                        and block.argument in omitted:
                    if block.argument == anchor:
                        stream.extend(_sentence_block(omitted, key if sentence_at else None, index))
                    continue
                block.content = _classify(block, glued, key)
                stream.append(block)
        elif cell.cell_type == "code" and _visible_outputs(cell):
            stream.append(Block("code", [], index))
    _prune_sections(stream)
    sources: dict[int, list[str]] = {i: [] for i, c in enumerate(nb.cells) if c.cell_type == "markdown"}
    for block in stream:
        if block.kind not in ("code", "removed"):
            sources[block.cell].extend(block.lines)
    for index, lines in sources.items():
        nb.cells[index].source = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return nb


def _prune_sections(stream: list[Block]) -> None:
    """Mark as removed each heading whose section has nothing to read, and what it holds
    besides the page's footer; a section with only the omission sentence keeps the sentence."""
    headings = [i for i, b in enumerate(stream) if b.kind == "heading" and b.level > 1]
    for i in reversed(headings):
        level = stream[i].level
        end = next((j for j in range(i + 1, len(stream))
                    if stream[j].kind == "heading" and stream[j].level <= level), len(stream))
        inside = [b for b in stream[i + 1:end] if b.kind != "removed"]
        if any(b.kind == "code" or b.content == "content" for b in inside):
            continue
        stream[i].kind = "removed"
        for block in inside:
            if block.content == "none" and block.kind != "target":
                block.kind = "removed"


def stage_reader_notebook(source, target, layout: dict) -> None:
    """Write the reader's copy of an executed notebook (only when its text changed; made
    once for the same executed notebook and layout, also for the next build: memo.py)."""
    executed = Path(source).read_text(encoding="utf-8")
    text = remembered("reader", (executed, repr(layout)), lambda: nbformat.writes(
        reader_notebook(nbformat.reads(executed, as_version=4), layout)))
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
