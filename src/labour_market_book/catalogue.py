"""The data appendix: a Danish description of every dataset, written from its sidecar."""

from __future__ import annotations

from .datasets import load_all
from .periods import MONTHS_DA

UNITS_DA = {"pct": "procent", "persons": "personer", "jobs": "stillingsopslag", "index": "indeks"}


def _rule_da(rule: dict) -> str:
    offset = int(rule["year_offset"])
    year = "referenceåret" if offset == 0 else f"referenceåret {'+' if offset > 0 else '−'} {abs(offset)}"
    return f"{MONTHS_DA[rule['month'] - 1]} i {year}" if rule.get("month") else year


def _provenance_da(meta: dict) -> list[str]:
    prov = meta["provenance"]
    if prov["method"] == "transcribed":
        lines = [f"Afskrevet fra rapporten {{cite:p}}`{prov['document']}` den {prov['transcribed_on']}"
                 + (f", afsnit {prov['section']}" if prov.get("section") else "") + "."]
        lines += [f"  - {loc}" for loc in prov["locations"]]
        if prov.get("pages"):
            lines.append(f"  - Sider: {prov['pages']}")
        return lines
    query = prov["query"]
    return [f"Hentet fra {prov['api']} den {prov['fetched_at']} med forespørgslen `{query}`."]


def dataset_markdown(meta: dict, n_rows: int) -> str:
    """Markdown section describing one dataset."""
    src = meta["source"]
    measures = "; ".join(f"`{name}`: {m['label_da']} ({UNITS_DA[m['unit']]})"
                         for name, m in meta["measures"].items())
    rules = "; ".join(f"{role}: {_rule_da(rule)}" for role, rule in meta["periods"]["rules"].items())
    cov = meta["coverage"]
    coverage = f"{cov['first_period']} til {cov['last_period']}" if cov else "ingen rækker endnu"
    lines = [
        f"(datasaet-{meta['id'].replace('_', '-')})=",
        f"## {meta['title']}",
        "",
        meta["description"],
        "",
        f"- **Fil:** `data/{meta['id']}.csv` ({n_rows} rækker) med metadata i `data/{meta['id']}.yaml`",
        f"- **Udgiver:** {meta['publisher']}",
        f"- **Kildetabel:** [{src['table_id']}]({src['url']})"
        + (f", {src['table_title']}" if src.get("table_title") else "")
        + f" {{cite:p}}`{meta['citation_key']}`",
        f"- **Mål og enheder:** {measures}",
        f"- **Perioder i data:** {coverage}",
        f"- **Periode for en udgave:** {rules}",
        f"- **Licens:** {meta['licence']['name']}"
        + (f" ({meta['licence']['url']})" if meta["licence"].get("url") else ""),
        f"- **Bruges i:** {', '.join(meta['feeds'])}",
        f"- **Kontrolsum (SHA-256):** `{meta['checksum']['value']}`",
        "- **Oprindelse:** " + "\n".join(_provenance_da(meta)),
    ]
    if meta.get("notes"):
        lines += ["", "Noter:", ""] + [f"- {note}" for note in meta["notes"]]
    return "\n".join(lines) + "\n"


def catalogue_markdown() -> str:
    """Markdown for all datasets, in file-name order."""
    return "\n".join(dataset_markdown(ds.meta, len(ds.frame)) for ds in load_all().values())
