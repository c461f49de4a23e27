"""Subsection 8.4.1, "Organisering og udgifter": the rows behind Figur 8.26, Kort 8.1 and
Figur 8.28-8.29 and the words the prose builds from them, so that
``notebooks/indsats_organisering.ipynb`` only narrates.

Figur 8.26 and Kort 8.1 are drawn from structure files (``data/structures/``: the
organisation chart and the places, as far as the report's text names them), which hold no
series of numbers; the functions for them take the loaded structure. The others take the
page's datasets and the edition's reference year and return the rows an exhibit draws, in
the order the report shows them; an edition without rows gets an empty selection, never
another edition's numbers.
"""

from __future__ import annotations

import pandas as pd

from ..areas import NATIONAL, display_name
from ..datasets import Dataset
from ..edition import REPORT_FOCUS, join_da
from ..formatting import format_number
from ..periods import Period

UNCORRECTED = "ukorrigeret"
"""Figur 8.29's plain numbers (``adjustment``)."""

CORRECTED = "korrigeret for målgruppesammensætning"
"""Figur 8.29's numbers corrected for the composition of the target groups (``adjustment``)."""


# -- Figur 8.26 and Kort 8.1 (structure files) --------------------------------------------------
def dated(structure: dict) -> str:
    """The month a structure file describes, in Danish: ``"februar 2025"``."""
    return Period.parse(structure["as_of"]).label_da()


def organisation_rows(organisation: dict) -> pd.DataFrame:
    """Figur 8.26's CSV: one row per department of each centre (a centre without departments
    gets one row with an empty department), its target groups joined by ``"; "``, whether
    the book inferred it from lost text, and the file's date and path."""
    rows = pd.DataFrame(
        [{"centre": c["name"], "abbreviation": c.get("abbreviation", ""), "department": d["name"],
          "target_groups": "; ".join(d.get("target_groups") or []),
          "inferred": bool(d.get("inferred"))}
         for c in organisation["centres"] for d in (c.get("departments") or [{"name": ""}])])
    return rows.assign(as_of=organisation["as_of"], source="structures/organisation.yaml")


def centre_names(organisation: dict) -> str:
    """The centres as the prose lists them: ``"Center for ... (BYD), ... og Center for ... (CJU)"``."""
    return join_da([f"{c['name']} ({c['abbreviation']})" if c.get("abbreviation") else c["name"]
                    for c in organisation["centres"]])


def fact_numbers(organisation: dict) -> list[tuple[str, str]]:
    """Each centre fact's number as the book writes it from the file's value (``"mere end
    2.000"`` for a lower bound), beside the number its sentence prints: the two must agree."""
    return [("mere end " * (fact.get("flag") == "lower_bound")
             + format_number(fact["value"], fact.get("decimals", 0)), fact["printed"])
            for c in organisation["centres"] for fact in c.get("facts", [])]


def centre_facts(organisation: dict) -> str:
    """The centres' facts as sentences, each naming its centre instead of "Centret"."""
    return " ".join(fact["text_da"].replace("Centret", c["name"]) + "."
                    for c in organisation["centres"] for fact in c.get("facts", []))


def places_table(locations: dict) -> pd.DataFrame:
    """Kort 8.1 as a table: each place the report's text names, where it lies and what it
    houses."""
    places = locations["places"]
    return pd.DataFrame({
        "Sted": [p["address_text"] for p in places],
        "Beliggenhed": [p.get("district_text", "") for p in places],
        "Hvad ligger der": ["; ".join(p.get("houses", [])) for p in places],
    })


def place_names(locations: dict) -> str:
    """The places as the prose lists them: ``"Regimentvej (den gamle kaserne), Odinsgade og ..."``."""
    return join_da([p["address_text"] for p in locations["places"]])


# -- Figur 8.28 -----------------------------------------------------------------------------
def spending_rows(spending: Dataset, reference_year: int,
                  areas: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Figur 8.28: the expenditure per full-time person of each of ``areas`` in the series'
    first year, in the edition's year, and both as the figure's rows (area by area in the
    order of ``areas``, the first year first)."""
    first = spending.select("expenditure_per_fte", reference_year, role="series_start", areas=areas)
    last = spending.select("expenditure_per_fte", reference_year, areas=areas)
    order = {a: i for i, a in enumerate(areas)}
    rows = pd.concat([first, last], ignore_index=True)
    rows = rows.sort_values(["area", "period"], key=lambda s: s.map(order) if s.name == "area" else s,
                            kind="stable")
    return first, last, rows


# -- Figur 8.29 -----------------------------------------------------------------------------
def resource_rows(survey: Dataset, reference_year: int) -> pd.DataFrame:
    """Figur 8.29's rows: the survey's resource use per full-time person for Randers Kommune
    and the country's statistics, the plain numbers before the corrected ones, within each
    Randers Kommune before the country, otherwise in the order of the data."""
    rows = survey.select("resource_use_per_fte", reference_year)
    rows = rows[rows["area"].isin([REPORT_FOCUS, NATIONAL])]
    order = {UNCORRECTED: 0, CORRECTED: 1, REPORT_FOCUS: 0, NATIONAL: 1}
    return rows.sort_values(["adjustment", "area"], key=lambda s: s.map(order),
                            kind="stable").reset_index(drop=True)


def statistic(survey: Dataset, reference_year: int, name: str, adjustment: str = UNCORRECTED,
              area: str = NATIONAL) -> pd.DataFrame:
    """One number of Figur 8.29: the statistic ``name`` (``"median"``, ``"kommunen"`` ...) of
    ``area`` with ``adjustment``; no row when the edition lacks it."""
    return survey.select("resource_use_per_fte", reference_year, areas=[area], statistic=name,
                         adjustment=adjustment)


def labels_8_29(rows: pd.DataFrame) -> list[str]:
    """Figur 8.29's bar labels: the municipality's display name or the statistic
    (``"Gennemsnit top-10"``), with ``", korrigeret"`` for a corrected number."""
    return [(display_name(a) if s == "kommunen" else s[0].upper() + s[1:])
            + (", korrigeret" if adj != UNCORRECTED else "")
            for a, s, adj in zip(rows["area"], rows["statistic"], rows["adjustment"])]
