"""What an edition's book contains: its pages, the reader's part and the workbench.

The book has two audiences, and ``_toc.yml`` two kinds of part:

- **the publication**: the front page, the chapter's pages and ``Kilder``. It reads like the
  report, on the site and in the print edition;
- **the workbench** (the part captioned :data:`WORKBENCH_CAPTION`): the datasets, what is
  missing, the differences from the report, what changed, and the calculations. It serves
  analysts, is reached from every page's navigation, and is not printed.

A page built on the report's municipality's own material (its own registers, its
jobcentre's organisation, surveys of its jobcentre) says so in its notebook's metadata,
``{"lmb": {"own_material": "Randers"}}``: an edition about another municipality leaves it out,
neither executing nor staging it, and says so once where the reader would look for it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from .edition import join_da
from .exports import EXHIBIT_ID
from .paths import REPO_ROOT

WORKBENCH_CAPTION = "Om tallene"
"""The caption of the toc's part that holds the workbench (not printed)."""

_EXHIBIT_BLOCK = re.compile(r"^`{3,}\{glue:figure\}\s+(\S+)", re.M)


def toc(root: Path = REPO_ROOT) -> dict:
    return yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))


def toc_files(node) -> list[str]:
    """The documents a toc (or a part of it) names, in reading order."""
    found: list[str] = []
    if isinstance(node, dict):
        if "file" in node:
            found.append(node["file"])
        for key, value in node.items():
            if key != "file":
                found += toc_files(value)
    elif isinstance(node, list):
        for item in node:
            found += toc_files(item)
    return found


def workbench_docs(root: Path = REPO_ROOT) -> list[str]:
    """The workbench's documents (``appendix/datasaet``, ...), without suffix."""
    parts = [p for p in toc(root).get("parts", []) if p.get("caption") == WORKBENCH_CAPTION]
    return [Path(f).with_suffix("").as_posix() for p in parts for f in toc_files(p)]


def own_material(notebook: Path) -> str | None:
    """The municipality whose own material a page is about (notebook metadata), or None."""
    meta = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {})
    return meta.get("lmb", {}).get("own_material")


def left_out(notebooks: list[Path], focus: str) -> list[Path]:
    """The pages an edition about ``focus`` leaves out: another municipality's own material."""
    return [nb for nb in notebooks if own_material(nb) not in (None, focus)]


def exhibits_in(notebook: Path) -> list[str]:
    """The report's exhibits a notebook places (its ``{glue:figure}`` blocks), in order."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return [e for e in _EXHIBIT_BLOCK.findall(text) if EXHIBIT_ID.match(e)]


def page_title(notebook: Path) -> str:
    """A page's title: the first heading of its first Markdown cell."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^#\s+(.+)$", "".join(cell["source"]), re.M)
            if match:
                return match.group(1).strip()
    return Path(notebook).stem


def edition_toc(text: str, leave_out: list[str]) -> str:
    """The staged ``_toc.yml``: the book's, without the documents in ``leave_out``."""
    data = yaml.safe_load(text)
    gone = {Path(f).with_suffix("").as_posix() for f in leave_out}

    def prune(items):
        kept = []
        for item in items or []:
            if Path(item.get("file", "")).with_suffix("").as_posix() in gone:
                continue
            if "sections" in item:
                item = dict(item, sections=prune(item["sections"]))
                if not item["sections"]:
                    del item["sections"]
            kept.append(item)
        return kept

    for part in data.get("parts", []):
        part["chapters"] = prune(part.get("chapters"))
    if "chapters" in data:
        data["chapters"] = prune(data["chapters"])
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def left_out_sentence(titles: list[str], municipality: str) -> str:
    """The one sentence an edition says about the pages it leaves out (``""`` for none)."""
    if not titles:
        return ""
    names = join_da([f"»{t}«" for t in titles])
    pages = "Siden" if len(titles) == 1 else "Siderne"
    return (f"{pages} {names} handler om {municipality}s egne forhold og indgår kun i udgaven "
            f"om {municipality}.")
