"""Subsection 8.2, "Ledigheden": the rows behind Tabel 8.2 and 8.3 and the numbers the
page's prose derives from them, so that ``notebooks/ledigheden.ipynb`` only narrates."""

from __future__ import annotations

import pandas as pd

from ..edition import Edition, join_da
from ..formatting import format_value

BLOCKS_8_2 = [("share_seasonally_adjusted", "Sæsonkorrigeret i pct. af arbejdsstyrken"),
              ("persons_seasonally_adjusted", "Sæsonkorrigeret"),
              ("share_actual", "Opregnede faktiske i pct. af arbejdsstyrken"),
              ("persons_actual", "Opregnede faktiske")]
"""Tabel 8.2's row groups: AUS08's four measures and the report's label of each."""

MONTH_RULES = ["current", "next_february", "next_march"]
"""The period rules of Tabel 8.2's three columns."""


def unemployment_rows(aus08, edition: Edition) -> pd.DataFrame:
    """Tabel 8.2's rows: the four measures for every area in the table's three months, by
    measure, then month, then area (a selection with no rows when the edition has none)."""
    parts = [aus08.select(measure, edition.reference_year, role=rule, areas=edition.areas)
             for measure, _ in BLOCKS_8_2 for rule in MONTH_RULES]
    rows = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
    rows.attrs.update(parts[0].attrs)
    return rows


def job_goals(top10, edition: Edition) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tabel 8.3: the ten most frequent job goals of the focus' unemployed, the job postings
    with each title, and both as the table's rows (by rank, then measure)."""
    goals = top10.select("unemployed_with_job_goal", edition.reference_year, areas=[edition.focus])
    postings = top10.select("job_postings", edition.reference_year, areas=[edition.focus])
    rows = pd.concat([goals, postings], ignore_index=True).sort_values(["rank", "measure"], kind="stable")
    rows.attrs.update(goals.attrs)
    return goals, postings, rows


def top_three(goals: pd.DataFrame, postings: pd.DataFrame) -> dict[str, tuple[str | None, pd.DataFrame]]:
    """The prose's facts about the list: the three most frequent goals (``titles``), the
    postings with those titles (``postings``, only when all three are published) and the
    title with the most postings (``most``), each as (text or None, the rows it rests on)."""
    top3 = goals.sort_values("rank").head(3)
    top3_posts = postings[postings["rank"].isin(top3["rank"])].sort_values("rank")
    most = postings.dropna(subset=["value"]).sort_values("value", ascending=False, kind="stable")
    return {
        "titles": (join_da([t.lower() for t in top3["job_title"]]) if len(top3) == 3 else None, top3),
        "postings": (join_da([format_value(v, "jobs", 0) for v in top3_posts["value"]])
                     if len(top3_posts) == 3 and top3_posts["value"].notna().all() else None,
                     top3_posts),
        "most": (most.iloc[0]["job_title"].lower() if not most.empty else None, most.head(1)),
    }


def highest_sentence(rows: pd.DataFrame, highest: str | None, focus: str) -> str | None:
    """The sentence after the focus' share among those with a long higher education: that it
    is the highest of the areas compared, or which area's is (``highest``: its name and
    share as the page glued it)."""
    if highest is None:
        return None
    top_area = rows.sort_values("value", kind="stable").iloc[-1]["area"]
    if top_area == focus:
        return "Det er den højeste andel blandt de sammenlignede områder."
    return f"Den højeste andel blandt de sammenlignede områder havde {highest}."
