"""The appendix "Manglende tal": what each exhibit not shown in full lacks in an edition.

A partial exhibit's caption says in one sentence what it shows, and an exhibit without
numbers is not placed (its page says so once). This workbench page holds the rest, for each
such exhibit of the edition, in page order: what the full exhibit needs and where its numbers are (the ``<page>-gaps.json``
files that :meth:`.exhibits.Page.finish` writes). It is pure: gaps in, Danish Markdown out.
"""

from __future__ import annotations

import re
from pathlib import Path

from .changes_page import exhibit_title
from .exports import EXHIBIT_ID, read_gaps
from .paths import REPO_ROOT

DOC = "appendix/mangler"
MARKER = re.compile(r"^% gaps-list:.*$", re.MULTILINE)
FULL_DA = {"Figur": "Den fulde figur", "Tabel": "Den fulde tabel", "Kort": "Det fulde kort"}


def _order(exhibit: str) -> tuple:
    match = EXHIBIT_ID.match(exhibit)
    return (0, int(match.group(2)), match.group(1)) if match else (1, 0, exhibit)


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def gaps_markdown(gaps: dict[str, dict[str, dict]], docs: dict[str, str]) -> str:
    """The page's generated part. ``gaps``: page -> {exhibit -> its gap (``status``,
    ``shows``, ``needs``, ``why``, ``detail``)}; ``docs``: page -> its document
    (``notebooks/ledigheden``), in reading order. An exhibit the edition does not place links
    to the place on its page where the page says so."""
    lines: list[str] = []
    for page, doc in docs.items():
        exhibits = sorted(gaps.get(page, {}), key=_order)
        if not exhibits:
            continue
        lines += [f"## {{doc}}`/{doc}`", ""]
        for exhibit in exhibits:
            gap = gaps[page][exhibit]
            title = exhibit_title(exhibit)
            if gap["status"] == "partial":
                state = f"Vises delvist: {gap['shows'].rstrip('.')}."
            elif gap.get("why"):
                state = f"Vises ikke i denne udgave, fordi {gap['why']}."
            else:
                state = "Vises ikke i denne udgave."
            needs = (f"{FULL_DA[title.split()[0]]} kræver {gap['needs']}." if gap.get("needs")
                     else "")
            parts = [state, _sentence(needs), _sentence(gap.get("detail", ""))]
            link = f"{{ref}}`{title} <{exhibit}>`" if EXHIBIT_ID.match(exhibit) else title
            lines += [f"(mangler-{exhibit})=", f"**{link}.** " + " ".join(p for p in parts if p), ""]
    if not lines:
        return "Denne udgave viser alle bogens tabeller og figurer fuldt ud.\n"
    return "\n".join(lines)


def write_gaps_page(stage: Path, executed: dict[Path, Path]) -> None:
    """Fill the staged page from the executed notebooks' gaps (written only when changed)."""
    docs = {nb.stem: nb.relative_to(REPO_ROOT).with_suffix("").as_posix() for nb in executed}
    gaps = read_gaps(entry / "exports" for entry in executed.values())
    text = MARKER.sub(lambda _m: gaps_markdown(gaps, docs),
                      (REPO_ROOT / f"{DOC}.md").read_text(encoding="utf-8"), count=1)
    target = stage / f"{DOC}.md"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
