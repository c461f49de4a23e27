"""The data appendix: a Danish description of every dataset, written from its sidecar."""

from __future__ import annotations

from collections import Counter

from .datasets import load_all, year_ranges
from .edition import default_parameters
from .periods import MONTHS_DA, Period
from .sources import entry_markdown
from .trace import dataset_anchor

UNITS_DA = {"pct": "procent", "pct_points": "procentpoint", "persons": "personer",
            "fte": "fuldtidspersoner", "jobs": "stillingsopslag", "index": "indeks",
            "rank": "placering", "dkk": "kr.", "dkk_bn": "mia. kr.", "dkk_mn": "mio. kr.",
            "score": "score (skala 1-5)", "ratio": "forholdstal", "count": "antal"}
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


def dataset_markdown(ds, example_year: int) -> str:
    """Markdown section describing one dataset."""
    meta = ds.meta
    src = meta["source"]
    measures = "; ".join(f"{m['label_da']} ({UNITS_DA[m['unit']]})" for m in meta["measures"].values())
    rules = "; ".join(f"{rule.get('label_da', ROLE_DA.get(role, role))}: {rule_da(rule, example_year)}"
                      for role, rule in meta["periods"]["rules"].items())
    cov = meta["coverage"]
    coverage = (f"{Period.parse(cov['first_period']).label_da()} til "
                f"{Period.parse(cov['last_period']).label_da()}" if cov else "ingen rækker endnu")
    editions = year_ranges(list(ds.editions())) or "ingen"
    counts = Counter(ds.frame["provenance"])
    n = len(ds.frame)
    stem = meta["id"]
    lines = [
        f"({dataset_anchor(stem)})=",  # the prose's numbers link here (.trace)
        f"## {meta['title']}",
        "",
        meta["description"],
        "",
        f'- **Fil:** <a href="../data/{stem}.csv" download>{stem}.csv</a> ({n} '
        f'{"række" if n == 1 else "rækker"}) med metadata i '
        f'<a href="../data/{stem}.yaml" download>{stem}.yaml</a>',
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
        f"- **Bruges i:** {', '.join(meta['feeds']) or 'tallene i teksten'}",
        f"- **Kontrolsum (SHA-256):** `{meta['checksum']['value']}`",
        "- **Oprindelse, række for række** (kolonnen `provenance` i filen):",
        "",
    ]
    for entry_id in meta["provenance"]:
        entry = entry_markdown(meta, entry_id, counts.get(entry_id, 0))
        lines += [f"  - {entry[0]}"] + [f"  {line}" for line in entry[1:]]
    if src.get("note"):
        lines.append(f"- **Om kilden:** {src['note']}")
    if meta.get("notes"):
        lines += ["", "Noter:", ""] + [f"- {note}" for note in meta["notes"]]
    return "\n".join(lines) + "\n"


def catalogue_markdown(example_year: int | None = None, datasets: dict | None = None) -> str:
    """Markdown for all datasets (``datasets``, as :func:`load_all` gives them, or read
    here), in the Danish alphabetical order of their titles, the headings the reader sees
    (the file names are English, so their order reads as no order)."""
    year = example_year or default_parameters()["reference_year"]
    datasets = load_all() if datasets is None else datasets
    ordered = sorted(datasets.values(), key=lambda ds: (danish_sort_key(ds.meta["title"]), ds.meta["id"]))
    return "\n".join(dataset_markdown(ds, year) for ds in ordered)
