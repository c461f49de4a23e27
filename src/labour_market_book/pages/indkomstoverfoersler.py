"""Subsection 8.3, "Borgere på indkomstoverførsler": the rows behind its exhibits and the
numbers its prose derives, so that ``notebooks/indkomstoverfoersler.ipynb`` only narrates.

Each function takes the page's datasets and the edition and returns the rows an exhibit
draws (in the order the report shows them) or a text built from published numbers. A
derived number is marked ``basis = derived`` on its row, and every function returns an empty
selection, never another edition's numbers, when the edition lacks the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import derive
from ..areas import display_name
from ..datasets import absence
from ..edition import Edition, join_da
from ..formatting import format_number, format_value

COLUMNS_8_4 = {"expected_share": "Forventet andel på offentlig forsørgelse",
               "actual_share": "Faktisk andel på offentlig forsørgelse",
               "difference": "Forskel i forhold til forventet"}
"""Tabel 8.4's value columns: measure -> header."""

BROAD_GROUPS = ["tæt på arbejdsmarkedet", "længere væk fra arbejdsmarkedet"]
"""The report's two broad target groups (Figur 8.15)."""

GROUP_LABELS = {"tæt på arbejdsmarkedet": "Tæt på", "længere væk fra arbejdsmarkedet": "Længere væk",
                "øvrige": "Øvrige"}
"""Tabel 8.5's row groups as the table labels them."""


def ranking(benchmark, reference_year: int) -> pd.DataFrame:
    """Tabel 8.4's rows: every area with a place in the edition's ranking, its expected and
    actual share and the difference, by place, then area, then measure."""
    df = benchmark.frame
    rows = df[(df["period"] == str(benchmark.period(reference_year))) & df["rank"].notna()
              & df["measure"].isin(list(COLUMNS_8_4))]
    rows = rows.sort_values(["rank", "area", "measure"], kind="stable")
    rows.attrs["dataset"] = benchmark.id
    return rows


# -- Figur 8.14 -----------------------------------------------------------------------------
@dataclass
class Expenditure:
    """Figur 8.14 for one area: its share of the country's expenditure on income transfers
    and of its population, every year from the series' start to the edition's year, with
    the amounts the report writes on the figure and the report's two computed facts."""

    shares: pd.DataFrame
    amounts: pd.DataFrame
    facts: pd.DataFrame
    years: list[str]
    dataset: str = field(default="")

    @classmethod
    def of(cls, expenditure, reference_year: int, area: str) -> "Expenditure":
        df = expenditure.frame
        years = [str(y) for y in range(int(expenditure.period(reference_year, "series_start").year),
                                       reference_year + 1)]
        mine = df["area"] == area
        shares = df[mine & df["measure"].isin(["expenditure_share", "population_share"])
                    & df["period"].isin(years)].copy()
        shares.attrs["dataset"] = expenditure.id
        if shares.empty:                 # why, as Dataset.select says it (placement.omission)
            of_measure = df["measure"].isin(["expenditure_share", "population_share"])
            shares.attrs["absent"] = absence(expenditure.period(reference_year, "current"),
                                             of_measure, of_measure & df["period"].isin(years), [area])
        amounts = df[mine & df["measure"].isin(["expenditure_amount", "population"])
                     & df["period"].isin(years)]
        facts = df[mine & (df["period"] == str(reference_year))]
        return cls(shares, amounts, facts, years, expenditure.id)

    @property
    def first(self) -> str:
        return self.years[0]

    @property
    def last(self) -> str:
        return self.years[-1]

    def rows(self) -> pd.DataFrame:
        """What the figure draws and exports: the shares and the amounts written on it."""
        if self.shares.empty:
            return self.shares
        return pd.concat([self.shares, self.amounts], ignore_index=True)

    def notes(self) -> list[tuple[str, str, str]]:
        """The amounts written beside the points: (year, line, text), "ca." for "~"."""
        return [(row["period"], "expenditure_share" if row["measure"] == "expenditure_amount"
                 else "population_share",
                 (format_value(row["value"], row["unit"], int(row["decimals"]), row["flag"])
                  + ("" if row["unit"] == "dkk_bn" else " borgere")).replace("~", "ca. "))
                for _, row in self.amounts.iterrows()]

    def population(self) -> pd.DataFrame:
        """The population counts printed on the figure, by year."""
        return self.amounts[self.amounts["measure"] == "population"].sort_values("period")

    def population_note(self) -> str:
        """The caption's note on the population counts, whose years the report leaves unclear."""
        people = self.population()
        if people.empty:
            return ""
        counts = join_da([format_value(v, "persons", int(d))
                          for v, d in zip(people["value"], people["decimals"])])
        return (f"Folketallene ({counts} borgere) er vist ved {join_da(list(people['period']))}; "
                "hvidbogen angiver ikke tydeligt, hvilke år de gælder.")

    def share(self, measure: str, year: str) -> pd.DataFrame:
        """One share in one year (no rows if the data lack it)."""
        return self.shares[(self.shares["measure"] == measure) & (self.shares["period"] == year)]

    def gap(self, year: str) -> pd.DataFrame:
        """Derived: the expenditure share minus the population share in ``year``."""
        return derive.difference(self.share("expenditure_share", year), self.share("population_share", year),
                                 measure="expenditure_minus_population_share", unit="pct_points")

    def population_range(self) -> tuple[str | None, pd.DataFrame]:
        """"mellem 1,64 pct. og 1,67 pct.": the span of the population share over the series,
        when every year is there (else None), with the rows it spans."""
        pop = self.shares[self.shares["measure"] == "population_share"]
        if len(pop) != len(self.years):
            return None, pop
        return (f"mellem {format_value(pop['value'].min(), 'pct', 2)} og "
                f"{format_value(pop['value'].max(), 'pct', 2)}"), pop

    def amount(self, measure: str, year: str) -> pd.DataFrame:
        return self.amounts[(self.amounts["measure"] == measure) & (self.amounts["period"] == year)]

    def fact(self, measure: str) -> pd.DataFrame:
        """One of the report's computed facts for the edition's year (e.g. the extra cost)."""
        return self.facts[self.facts["measure"] == measure]


# -- Figur 8.15 and 8.16 ----------------------------------------------------------------------
def with_population(shares: pd.DataFrame, population_share: pd.DataFrame) -> pd.DataFrame:
    """A target group's share of the country's full-time persons beside the area's share of
    the population (as a bar "befolkningsandel"); no rows when the groups have none."""
    if shares.empty:
        return shares
    return pd.concat([shares, population_share.assign(target_group="befolkningsandel")],
                     ignore_index=True)


def bar_labels(frame: pd.DataFrame) -> list[str]:
    """"Randers Kommune, tæt på arbejdsmarkedet": a bar per area and target group."""
    return [f"{display_name(a)}, {g}" for a, g in zip(frame["area"], frame.get("target_group", []))]


def closer_to_population(near: pd.DataFrame, far: pd.DataFrame, folk: pd.DataFrame) -> str | None:
    """Which broad group's share lies closer to the population share, as a sentence (derived
    from the three published shares), or None when one of them is missing."""
    if near.empty or far.empty or folk.empty:
        return None
    population = float(folk.iloc[0]["value"])
    gap_near = abs(float(near.iloc[0]["value"]) - population)
    gap_far = abs(float(far.iloc[0]["value"]) - population)
    closer = (("tæt på arbejdsmarkedet", "længere væk") if gap_near < gap_far
              else ("længere væk fra arbejdsmarkedet", "tæt på"))
    return (f"Andelen i gruppen {closer[0]} ligger altså tættere på befolkningsandelen, mens "
            f"forskellen er størst for gruppen {closer[1]}.")


def times(part: pd.DataFrame, whole: pd.DataFrame) -> str | None:
    """Derived: how many times ``whole``'s value ``part``'s is ("1,7"), or None."""
    if part.empty or whole.empty:
        return None
    return format_number(float(part.iloc[0]["value"]) / float(whole.iloc[0]["value"]), 1)


# -- Figur 8.24 -----------------------------------------------------------------------------
@dataclass
class GroupLevels:
    """Figur 8.24: the number of full-time persons close to and further away from the labour
    market and on early retirement, derived as sums of Tabel 8.5's groups, and the group
    further away in the base year, derived from the published growth."""

    rows: pd.DataFrame
    growth: pd.DataFrame
    growth_pct: pd.DataFrame
    national_pct: pd.DataFrame
    far_now: pd.DataFrame
    far_start: pd.DataFrame
    implied_pct: float | None

    @classmethod
    def of(cls, benefits, change, reference_year: int, area: str, national: str) -> "GroupLevels":
        counts = benefits.select("full_time_persons", reference_year, areas=[area])
        early = counts[counts["benefit"] == "Førtidspension"].assign(target_group="førtidspension",
                                                                      basis="published")
        near, far_now = group_sum(counts, BROAD_GROUPS[0]), group_sum(counts, BROAD_GROUPS[1])
        further = dict(base_role="base", target_group=BROAD_GROUPS[1])
        growth = change.select("change_in_fte", reference_year, areas=[area], **further)
        growth_pct = change.select("pct_change", reference_year, areas=[area], **further)
        national_pct = change.select("pct_change", reference_year, areas=[national], **further)
        far_start, implied = far_now.iloc[0:0], None
        if not far_now.empty and not growth.empty:
            far_start = far_now.copy()
            far_start["value"] = float(far_now.iloc[0]["value"]) - float(growth.iloc[0]["value"])
            far_start["period"] = str(change.period(reference_year, "base"))
            far_start["target_group"] = BROAD_GROUPS[1]
            implied = 100 * float(growth.iloc[0]["value"]) / float(far_start.iloc[0]["value"])
        levels = [near, far_start, far_now, early] if not far_start.empty else [near, far_now, early]
        drawn = [part for part in levels if not part.empty]
        rows = pd.concat(drawn, ignore_index=True) if drawn else counts.iloc[0:0]
        return cls(rows, growth, growth_pct, national_pct, far_now, far_start, implied)

    def labels(self) -> list[str]:
        return [f"{g}, {p}" for g, p in zip(self.rows.get("target_group", []), self.rows["period"])]

    def reproduces_published_growth(self) -> bool:
        """Whether the derived base-year level gives back the published per cent (at its
        printed precision): the check that the derivation is right."""
        if self.implied_pct is None or self.growth_pct.empty:
            return True
        decimals = int(self.growth_pct.iloc[0]["decimals"])
        return (format_number(self.implied_pct, decimals)
                == format_number(float(self.growth_pct.iloc[0]["value"]), decimals))


def group_sum(counts: pd.DataFrame, group: str) -> pd.DataFrame:
    """Derived: the sum of a group's counts in Tabel 8.5, as one row (none unless every count
    of the group is published)."""
    part = counts[counts["group"] == group]
    if part.empty or part["value"].isna().any():
        return part.iloc[0:0]
    row = part.iloc[[0]].copy()
    row["value"] = float(part["value"].sum())
    row["benefit"] = ""
    row["measure"] = "full_time_persons_in_group"
    row["basis"] = "derived"
    row["target_group"] = group
    return row


# -- Tabel 8.5 and the early-retirement side table ------------------------------------------------
def benefits_rows(benefits, edition: Edition) -> pd.DataFrame:
    """Tabel 8.5's rows: the focus' counts of full-time persons and every area's shares."""
    year = edition.reference_year
    rows = pd.concat([benefits.select("full_time_persons", year, areas=[edition.focus]),
                      benefits.select("share_of_population", year, areas=edition.areas)],
                     ignore_index=True)
    rows.attrs["dataset"] = benefits.id
    return rows


def benefits_table(rows: pd.DataFrame, edition: Edition) -> pd.DataFrame:
    """Tabel 8.5 as shown: a row per benefit under its group, the focus' count (when the data
    have counts) and each area's share; a cell the data lack reads "mangler"."""
    count_header = f"Antal fuldtidspersoner i {display_name(edition.focus)}"
    has_counts = (rows["measure"] == "full_time_persons").any()
    present = [a for a in edition.areas
               if ((rows["area"] == a) & (rows["measure"] == "share_of_population")).any()]
    records, index = [], []
    for (_, group, benefit, footnote), part in rows.groupby(["order", "group", "benefit", "footnote"],
                                                            sort=True):
        row = {}
        if has_counts:
            hit = part[part["measure"] == "full_time_persons"]
            row[count_header] = (format_value(hit.iloc[0]["value"], "", 0, hit.iloc[0]["flag"])
                                 if not hit.empty else "mangler")
        for area in present:
            hit = part[(part["measure"] == "share_of_population") & (part["area"] == area)]
            row[display_name(area)] = (format_value(hit.iloc[0]["value"], "", int(hit.iloc[0]["decimals"]),
                                                    hit.iloc[0]["flag"]) if not hit.empty else "mangler")
        records.append(row)
        index.append((GROUP_LABELS[group], benefit + footnote))
    if not records:
        return pd.DataFrame()
    return pd.DataFrame(records, index=pd.MultiIndex.from_tuples(index, names=["", "Ydelse"]))


def has_counts(rows: pd.DataFrame) -> bool:
    return bool((rows["measure"] == "full_time_persons").any())


RECIPIENTS_DA = {
    "Jobafklaringsforløb": "borgere i jobafklaringsforløb",
    "Ressourceforløb": "borgere i ressourceforløb",
    "Kontanthjælp, aktivitetsparat": "aktivitetsparate kontanthjælpsmodtagere",
    "Kontanthjælp, jobparat": "jobparate kontanthjælpsmodtagere",
    "Uddannelseshjælp, aktivitetsparat": "aktivitetsparate uddannelseshjælpsmodtagere",
    "Uddannelseshjælp, uddannelsesparate": "uddannelsesparate uddannelseshjælpsmodtagere",
    "A-dagpenge": "a-dagpengemodtagere",
    "Sygedagpenge": "sygedagpengemodtagere",
}
"""Tabel 8.5's benefit labels as the people who receive them, for a list in a sentence (a
label such as "Kontanthjælp, aktivitetsparat" holds a comma, which a list cannot)."""


def recipients_da(benefit: str) -> str:
    """``"Kontanthjælp, aktivitetsparat"`` -> ``"aktivitetsparate kontanthjælpsmodtagere"``;
    a label without an entry is lower-cased, its comma read as "med"."""
    return RECIPIENTS_DA.get(benefit, benefit.lower().replace(", ", " med "))


def highest_further_away(rows: pd.DataFrame, edition: Edition) -> tuple[str | None, pd.DataFrame]:
    """The benefits further away from the labour market for which the focus has the highest
    share of all the areas compared ("aktivitetsparate uddannelseshjælpsmodtagere (1,0 pct.)"),
    derived, with the rows."""
    far = rows[(rows["group"] == BROAD_GROUPS[1]) & (rows["measure"] == "share_of_population")]
    top = []
    for benefit, part in far.groupby("benefit", sort=False):
        mine = part[part["area"] == edition.focus]
        rest = part[part["area"] != edition.focus]
        if not mine.empty and len(rest) == len(edition.areas) - 1 and \
                (float(mine.iloc[0]["value"]) > rest["value"].astype(float)).all():
            top.append(f"{recipients_da(benefit)} ({format_value(mine.iloc[0]['value'], 'pct', int(mine.iloc[0]['decimals']))})")
    return (join_da(top) if top else None), far


def early_retirement(benefits, cepos, edition: Edition) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The share on early retirement in Tabel 8.5 (Jobindsats.dk) and in CEPOS' count, per
    area, each marked with its source (``kilde``)."""
    year = edition.reference_year
    own = benefits.select("share_of_population", year, areas=edition.areas)
    own = own[own["benefit"] == "Førtidspension"].assign(kilde="Jobindsats.dk")
    other = cepos.select("share_of_population", year, areas=edition.areas).assign(kilde="CEPOS")
    return own, other


def side_by_side(own: pd.DataFrame, other: pd.DataFrame, areas: list[str], headers: tuple[str, str]
                 ) -> pd.DataFrame:
    """The two measures as a table: a row per area, a column per source."""
    def cell(rows, area):
        hit = rows[rows["area"] == area]
        return (format_value(hit.iloc[0]["value"], "pct", int(hit.iloc[0]["decimals"]), hit.iloc[0]["flag"])
                if not hit.empty else "mangler")
    return pd.DataFrame({"Område": [display_name(a) for a in areas],
                         headers[0]: [cell(own, a) for a in areas],
                         headers[1]: [cell(other, a) for a in areas]})


def target_groups(shares: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The rows of the named target groups, in the selection's order."""
    out = shares[shares["target_group"].isin(names)]
    out.attrs.update(shares.attrs)
    return out
