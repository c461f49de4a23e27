"""The data appendix: a Danish description of every dataset, written from its sidecar."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pandas as pd

from .datasets import load_all
from .edition import default_parameters, join_da
from .memo import remembered
from .periods import MONTHS_DA, Period, year_ranges_da
from .sources import entry_markdown, without_paths
from .trace import dataset_anchor

UNITS_DA = {"pct": "procent", "pct_points": "procentpoint", "persons": "personer",
            "fte": "fuldtidspersoner", "jobs": "stillingsopslag", "index": "indeks",
            "rank": "placering", "dkk": "kr.", "dkk_bn": "mia. kr.", "dkk_mn": "mio. kr.",
            "score": "score (skala 1–5)", "ratio": "forholdstal", "count": "antal"}
ROLE_DA = {"current": "Udgavens periode", "base": "Basisperiode for ændringer"}
# Danish alphabetical order puts æ, ø and å after z, in that order; the three characters
# after "z" in ASCII ("{", "|", "}") sort the same way, whatever the machine's locale.
_DANISH_LETTERS = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def danish_sort_key(text: str) -> str:
    """A key that sorts Danish text alphabetically, case-insensitively, with æ, ø and å
    after z (``sorted(["Åben", "Øst", "Zone"], key=danish_sort_key)``: Zone, Øst, Åben)."""
    return text.casefold().translate(_DANISH_LETTERS)


def rule_da(rule: dict, example_year: int) -> str:
    """``"november året før referenceåret (i udgaven for 2024: november 2023)"``."""
    offset = int(rule["year_offset"])
    if offset == 0:
        year = "referenceåret"
    elif offset == -1:
        year = "året før referenceåret"
    elif offset == 1:
        year = "året efter referenceåret"
    else:
        year = f"{abs(offset)} år {'før' if offset < 0 else 'efter'} referenceåret"
    month, quarter = rule.get("month"), rule.get("quarter")
    text = (f"{MONTHS_DA[month - 1]} {year}" if month else f"{quarter}. kvartal i {year}"
            if quarter else year.capitalize())
    example = Period(example_year + offset, month, quarter).label_da()
    return f"{text} (i udgaven for {example_year}: {example})"


_EXHIBIT = re.compile(r"^(tabel|figur|kort)-8-(\d+)$")
_TEST_FILE = re.compile(r"\btests/[\w/.-]+\.py\b")
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)-((?:19|20)\d\d)\b")
_QUARTER_RANGE = re.compile(r"(kvartal (?:19|20)\d\d)-(\d\. kvartal)")
_TERMS = [(re.compile(r"\bjobcentret\b"), "jobcenteret"), (re.compile(r"\bjobcentrets\b"), "jobcenterets"),
          (re.compile(r"\(\+18 år\)"), "(18 år og derover)")]
"""The style guide's one form of a term (docs/STYLE-da.md), outside the report's quoted words."""
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\s|[,.;:)])")


def exhibit_name(exhibit_id: str) -> str:
    """``"figur-8-30"`` -> ``"figur 8.30"``: an exhibit as the reader knows it."""
    match = _EXHIBIT.match(exhibit_id)
    return f"{match.group(1)} 8.{match.group(2)}" if match else exhibit_id


def reader_prose(text: str, titles: dict[str, str] | None = None) -> str:
    """A sidecar's words for the reader, in the style guide's forms (ranges with an en dash,
    »jobcenteret«, »18 år og derover«; quoted words of the report stay as printed): a
    test file is »bogens test«, a dataset named by its id (``benefit_groups``) is
    named by its Danish title and linked to its section, a remark in brackets holding a file
    path is left out, and a typewriter apostrophe after a word (``Randers' placering``) is the
    typographic one, which MyST's Danish quotes would otherwise turn into ``‹`` (``KL's``
    they get right)."""
    text = _TEST_FILE.sub("bogens test", without_paths(text))
    text = _YEAR_RANGE.sub("\\1\u2013\\2", _QUARTER_RANGE.sub("\\1\u2013\\2", text))
    parts = re.split(r'("[^"]*")', text)     # the report's words in quotes stay as printed
    for i in range(0, len(parts), 2):
        for pattern, term in _TERMS:
            parts[i] = pattern.sub(term, parts[i])
    text = "".join(parts)
    for stem, title in (titles or {}).items():
        text = re.sub(rf"`?\b{re.escape(stem)}\b`?",
                      lambda _m, s=stem, t=title: f"{{ref}}`»{t}« <{dataset_anchor(s)}>`", text)
    return _APOSTROPHE.sub("\u2019", text)


def dataset_markdown(ds, example_year: int, titles: dict[str, str] | None = None) -> str:
    """Markdown section describing one dataset, in Danish for the reader: no file names,
    column names or ids (the downloads are links named by what they hold). ``titles`` maps
    the other datasets' ids to their titles, for the notes that mention them."""
    meta = ds.meta
    src = meta["source"]
    titles = {k: v for k, v in (titles or {}).items() if k != meta["id"]}

    def prose(text: str) -> str:
        return reader_prose(text, titles)

    measures = "; ".join(f"{prose(m['label_da'])} ({UNITS_DA[m['unit']]})"
                         for m in meta["measures"].values())
    rules = "; ".join(f"{prose(rule.get('label_da', ROLE_DA.get(role, role)))}: {rule_da(rule, example_year)}"
                      for role, rule in meta["periods"]["rules"].items())
    cov = meta["coverage"]
    coverage = (f"{Period.parse(cov['first_period']).label_da()} til "
                f"{Period.parse(cov['last_period']).label_da()}" if cov else "ingen rækker endnu")
    if cov and cov["first_period"] == cov["last_period"]:
        coverage = Period.parse(cov["first_period"]).label_da()
    editions = year_ranges_da(ds.editions()) or "ingen"
    counts = Counter(ds.frame["provenance"])
    n = len(ds.frame)
    stem = meta["id"]
    feeds = [exhibit_name(e) for e in meta["feeds"]]
    lines = [
        f"({dataset_anchor(stem)})=",  # the prose's numbers link here (.trace)
        f"## {prose(meta['title'])}",
        "",
        prose(meta["description"]),
        "",
        f'- **Filer:** <a href="../data/{stem}.csv" download>Hent datasættet (CSV, {n} '
        f'{"række" if n == 1 else "rækker"})</a> · <a href="../data/{stem}.yaml" download>'
        "Hent beskrivelsen (metadata)</a>",
        f"- **Udgiver:** {meta['publisher']}",
        (f"- **Kildetabel:** [{src['table_id']}]({src['url']})" if src.get("url")
         else f"- **Kildetabel:** {src['table_id']}")
        + (f", {src['table_title']}" if src.get("table_title") else "")
        + f" {{cite:p}}`{meta['citation_key']}`",
        f"- **Mål og enheder:** {measures}",
        f"- **Perioder i data:** {coverage}",
        f"- **Udgaver med tal:** {editions}",
        f"- **Periode for en udgave:** {rules}",
        f"- **Licens:** {meta['licence']['name']}"
        + (f" ({meta['licence']['url']})" if meta["licence"].get("url") else ""),
        f"- **Bruges i:** {(join_da(feeds) if feeds else 'tallene i teksten').capitalize()}",
        f"- **Kontrolsum (SHA-256):** `{meta['checksum']['value']}`",
        "- **Hvor tallene kommer fra:**",
        "",
    ]
    for entry_id in meta["provenance"]:
        entry = [prose(line) for line in entry_markdown(meta, entry_id, counts.get(entry_id, 0))]
        lines += [f"  - {entry[0]}"] + [f"  {line}" for line in entry[1:]]
    if src.get("note"):
        lines.append(f"- **Om kilden:** {prose(src['note'])}")
    if meta.get("notes"):
        lines += ["", "Noter:", ""] + [f"- {prose(note)}" for note in meta["notes"]]
    return "\n".join(lines) + "\n"


def catalogue_markdown(example_year: int | None = None, datasets: dict | None = None) -> str:
    """Markdown for all datasets (``datasets``, as :func:`load_all` gives them, or read
    here), in the Danish alphabetical order of their titles, the headings the reader sees
    (the file names are English, so their order reads as no order)."""
    year = example_year or default_parameters()["reference_year"]
    datasets = load_all() if datasets is None else datasets
    # the same datasets give the same page: written once, also for the next build (memo.py)
    key = (year, tuple((ds.id, ds.csv_path.name, repr(ds.meta), tuple(ds.frame.columns),
                        hashlib.sha256(pd.util.hash_pandas_object(ds.frame, index=False)
                                       .to_numpy().tobytes()).hexdigest())
                       for ds in datasets.values()))
    return remembered("catalogue", key, lambda: _catalogue(year, datasets))


def _catalogue(year: int, datasets: dict) -> str:
    ordered = sorted(datasets.values(), key=lambda ds: (danish_sort_key(ds.meta["title"]), ds.meta["id"]))
    titles = {ds.meta["id"]: ds.meta["title"] for ds in datasets.values()}
    return "\n".join(dataset_markdown(ds, year, titles) for ds in ordered)
