"""The built book follows the Danish style guide (docs/STYLE-da.md): checks over the reader text.

The reader text of a page is what a reader sees or hears: the article without scripts, styles
and the folded code cells, with the images' alt texts and the numbers' hidden descriptions
(screen readers read them). Each check names the page and the snippet it found.

Every page of the default edition is checked, and every page of a Horsens edition (another
focus changes the generated words).
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

MODULE_PAGES = ("appendix/datasaet.html", "appendix/afvigelser.html", "appendix/aendringer.html")
"""Pages written by the package's modules (catalogue, appendix, changes) from appendix/*.md."""


def reader_text(path: Path, *, descriptions: bool = True) -> str:
    """A built page's reader text (see the module's docstring), whitespace collapsed;
    without the numbers' hidden descriptions when ``descriptions`` is false."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    if not descriptions:
        for tag in soup.select("span.tal-kilde"):
            tag.decompose()
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    for tag in soup.select("div.cell_input"):
        tag.decompose()
    for img in soup.find_all("img"):
        img.replace_with(f" {img.get('alt', '')} ")
    root = soup.select_one("article.bd-article") or soup.body or soup
    return re.sub(r"\s+", " ", root.get_text(" "))


def source_lines(text: str) -> list[str]:
    """The "Kilde:" lines of a page's reader text (up to the full stop that ends them)."""
    return [m.group(0) for m in re.finditer(
        r"Kilde: (?:(?!Kilde:|Datasæt:|Periode:).)*?\]\s*\.(?=\s|$)", text)]


_CITE = re.compile(r"\[\s*(\d+)\s*\]")

# One rule per entry: (name, pattern, what the style guide wants). A match is a finding.
RULES = [
    ("escaped entity", re.compile(r"&(?:#x?[0-9a-fA-F]+|amp|quot|lt|gt|apos);"),
     "a character, not its HTML entity (escaped twice?)"),
    ("file path", re.compile(r"\bdata/[\w./*<>-]*|\b[\w-]+\.(?:csv|ya?ml|ipynb|py)\b"),
     "no file names or paths in reader text; a download link names what it holds"),
    ("developer command", re.compile(r"\bmake (?:data|book|plan|checksums|check|test|notebooks?|validate)\b"),
     "no developer commands in reader text"),
    ("README", re.compile(r"\bREADME\b"), "no README in reader text (say »udviklerdokumentationen«)"),
    ("snake_case", re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
     "no code names (column, measure or dataset ids) in reader text"),
    ("hyphen in a range", re.compile(r"kvartal \d{4}-\d|\b(?:19|20)\d\d-(?:19|20)\d\d\b"),
     "an en dash in ranges: »1. kvartal 2016–4. kvartal 2024«, »2015–2024«"),
    ("jobcentret", re.compile(r"\bjobcentre(?:t|ts)\b", re.I), "»jobcenteret«, »jobcenterets«"),
    ("18+ age group", re.compile(r"\+\s?18 år|\bover 18 år|18 år og over\b"), "»18 år og derover«"),
    ("paragraph sign", re.compile(r"§§?(?=\d)|§§ ?\d+, ?\d+(?!\d|, ?\d| og)"), "»§ 96«, »§§ 103 og 104« (space after §)"),
    ("circular source", re.compile(r"som gengivet i Randers Kommune"), "»gengivet i hvidbogen [16]«"),
]


QUOTED = re.compile(r"»[^«]*«|›[^‹’]*[‹’]")
"""The report's words, quoted as printed: the terms' forms are not checked inside them."""
TERM_RULES = {"jobcentret", "18+ age group", "paragraph sign"}


def findings(text: str, rules=RULES) -> list[tuple[str, str]]:
    """(rule, snippet) for each place ``text`` breaks a rule."""
    out = []
    unquoted = QUOTED.sub(lambda m: " " * len(m.group(0)), text)
    for name, pattern, _ in rules:
        for match in pattern.finditer(unquoted if name in TERM_RULES else text):
            a, b = max(0, match.start() - 50), min(len(text), match.end() + 50)
            out.append((name, text[a:b].strip()))
    for line in source_lines(text):
        cited = _CITE.findall(line)
        if len(cited) != len(set(cited)):
            out.append(("source named twice", line))
    return out


def page_findings(path: Path) -> list[tuple[str, str]]:
    """The findings of a page: its reader text, with the Kilde lines read without the
    numbers' descriptions (which have their own "Kilde:")."""
    items = [f for f in findings(reader_text(path)) if f[0] != "source named twice"]
    for line in source_lines(reader_text(path, descriptions=False)):
        cited = _CITE.findall(line)
        if len(cited) != len(set(cited)):
            items.append(("source named twice", line))
    return items


def report(found: dict[str, list[tuple[str, str]]]) -> str:
    wants = {name: want for name, _, want in RULES} | {"source named twice":
                                                          "each source named once in a Kilde line"}
    return "\n".join(f"{page}: {rule} ({wants[rule]}): …{snippet}…"
                     for page, items in found.items() for rule, snippet in items)


def pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html")
                  if not p.name.startswith(("genindex", "search")) and "_static" not in p.parts)


def check(html: Path, which) -> dict[str, list[tuple[str, str]]]:
    found = {}
    for path in pages(html):
        name = path.relative_to(html).as_posix()
        if not which(name):
            continue
        items = page_findings(path)
        if name == "appendix/kilder.html":   # a cited repository is named by its path there
            items = [(rule, snip) for rule, snip in items if rule not in ("file path", "snake_case")]
        if items:
            found[name] = items
    return found


def _module_text(name: str) -> bool:
    return name in MODULE_PAGES


# -- the text the package's modules write: must pass -------------------------------------------
def test_the_appendix_pages_follow_the_style_guide(book_2024):
    html, _ = book_2024
    found = check(html, _module_text)
    assert not found, "\n" + report(found)


def test_the_source_lines_and_number_descriptions_follow_the_style_guide(book_2024):
    """Every page's Kilde lines name each source once and the report as »hvidbogen«; the
    numbers' hidden descriptions have no escaped entities or code names."""
    html, _ = book_2024
    found: dict[str, list[tuple[str, str]]] = {}
    for path in pages(html):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        name = path.relative_to(html).as_posix()
        descriptions = " ".join(s.get_text(" ") for s in soup.select("span.tal-kilde"))
        items = [f for f in findings(descriptions) if f[0] != "hyphen in a range"]
        text = reader_text(path, descriptions=False)
        for line in source_lines(text):
            cited = _CITE.findall(line)
            if len(cited) != len(set(cited)):
                items.append(("source named twice", line))
            if "som gengivet i" in line or re.search(r"Randers Kommune, Randers Kommunes", line):
                items.append(("circular source", line))
        if items:
            found[name] = items
    assert not found, "\n" + report(found)


def test_the_checker_finds_what_the_style_guide_forbids():
    text = ("Datasæt: Nøgletal fra KL&#x27;s undersøgelse. Se data/outside_labour_force.csv og kør "
            "make data (README). Kolonnen full_time_persons_in_group, 1. kvartal 2016-4. kvartal "
            "2024, jobcentret, +18 år, §§103, 104 og §110. Kilde: Randers Kommune, Randers "
            "Kommunes egne data [ 15 ] , som gengivet i Randers Kommune [ 15 ] .")
    names = {name for name, _ in findings(text)}
    assert names == {"escaped entity", "file path", "developer command", "README", "snake_case",
                     "hyphen in a range", "jobcentret", "18+ age group", "paragraph sign",
                     "circular source", "source named twice"}
    good = ("Kilde: Danmarks Statistik, RAS201 [ 5 ] , gengivet i hvidbogen [ 16 ] . De "
            "16-66-årige, 1. kvartal 2016–4. kvartal 2024, jobcenteret, 18 år og derover, "
            "§§ 103 og 104, KL’s undersøgelse. Hent datasættet (CSV).")
    assert findings(good) == []


# -- the notebooks' text (the lead's part of issue 19) ----------------------------------------

def test_style_of_the_notebook_text(book_2024):
    html, _ = book_2024
    found = check(html, lambda name: not _module_text(name))
    assert not found, "\n" + report(found)



def test_style_of_a_horsens_edition(edition_out):
    html = edition_out("horsens-2024") / "_build" / "html"   # built once per run (conftest.py)
    found = check(html, lambda name: True)
    assert not found, "\n" + report(found)
