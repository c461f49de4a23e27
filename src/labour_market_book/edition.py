"""The parameters of one edition of the book, checked once, and small prose helpers.

The default edition (reference year, focus municipality, comparison areas) is declared
once, in ``edition.yml`` at the repository root; :func:`default_parameters` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .areas import NATIONAL, check_area, display_name
from .paths import REPO_ROOT

DEFAULTS_FILE = REPO_ROOT / "edition.yml"

REPORT_YEAR = 2024
"""The reference year of the report's own edition: its assessments (claims) are of it."""
REPORT_FOCUS = "Randers"
"""The municipality the report is about."""
REPORT_MUNICIPALITIES = ("Horsens", "Silkeborg", "Vejle")
"""The municipalities the report compares it with (its "sammenligningskommuner")."""

_REPORT_SET = "Horsens, Silkeborg og Vejle"
REPORT_WORDING = (
    # the report's words for its own comparison set -> words that stay true in any edition
    ("de tre sammenligningskommuner", f"hvidbogens tre sammenligningskommuner ({_REPORT_SET})"),
    ("sammenligningskommunerne", f"hvidbogens sammenligningskommuner ({_REPORT_SET})"),
    ("de sammenlignede kommuner", "hvidbogens fire kommuner"),
    ("alle de sammenlignede områder", "alle hvidbogens områder"),
    ("de sammenlignede områder", "de øvrige områder i hvidbogen"),
    ("alle områderne", "alle hvidbogens områder"),
)
"""How a retold claim of the report names the report's comparison set when the edition
compares other areas (another focus, other comparison municipalities)."""


def default_parameters() -> dict:
    """The notebooks' parameters for the default edition, from ``edition.yml``."""
    raw = yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))
    return {"reference_year": int(raw["reference_year"]),
            "focus_municipality": str(raw["focus"]),
            "comparison_areas": [str(a) for a in raw["comparison"]]}


@dataclass(frozen=True)
class Edition:
    """Reference year, focus municipality and comparison areas of a notebook run."""

    reference_year: int
    focus: str
    comparison: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self):
        if not isinstance(self.reference_year, int) or isinstance(self.reference_year, bool):
            raise TypeError(f"reference_year must be an int, got {self.reference_year!r}")
        check_area(self.focus)
        if self.focus == NATIONAL:
            raise ValueError("the focus must be a municipality, not the whole country")
        for area in self.comparison:
            check_area(area)
        object.__setattr__(self, "comparison", tuple(self.comparison))

    @property
    def areas(self) -> list[str]:
        """Areas in display order: the whole country, the focus, then the others A-Z."""
        others = sorted(a for a in self.comparison if a not in (self.focus, NATIONAL))
        head = [NATIONAL] if NATIONAL in self.comparison else []
        return head + [self.focus] + others

    @property
    def municipalities(self) -> list[str]:
        """The comparison municipalities (without the focus and the whole country)."""
        return [a for a in self.areas if a not in (self.focus, NATIONAL)]

    @property
    def follows_report(self) -> bool:
        """Whether the edition compares the report's focus with the report's municipalities
        (then "sammenligningskommunerne" means the same in the book as in the report)."""
        return (self.focus == REPORT_FOCUS
                and sorted(self.municipalities) == sorted(REPORT_MUNICIPALITIES))

    def in_report_terms(self, text: str) -> str:
        """A retold claim of the report worded so that it names the report's comparison set
        where the edition compares other areas; unchanged when the edition follows the report."""
        if self.follows_report:
            return text
        for said, meant in REPORT_WORDING:
            text = text.replace(said, meant)
        return text

    @property
    def focus_name(self) -> str:
        return display_name(self.focus)

    @property
    def comparison_names(self) -> str:
        """``"Horsens Kommune, Silkeborg Kommune, Vejle Kommune og hele landet"``."""
        names = [display_name(a) for a in self.municipalities]
        return join_da(names + (["hele landet"] if NATIONAL in self.comparison else []))


def join_da(items: list[str]) -> str:
    """``["A", "B", "C"]`` -> ``"A, B og C"``."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " og " + items[-1]


def coverage_da(statuses: dict[str, str]) -> str:
    """The front page's sentence on what an edition shows, from each exhibit's status
    (``full``, ``partial`` or ``notice``), in a reader's words: "Udgaven gengiver 36 af
    hvidbogens 56 tabeller og figurer, heraf 23 delvist." The counts are the captions' (a
    partial exhibit's caption says what it shows) and the appendix "Manglende tal"'s."""
    total = len(statuses)
    full = sum(s == "full" for s in statuses.values())
    partial = sum(s == "partial" for s in statuses.values())
    shown = full + partial
    if total == 0:
        return ""
    if shown == 0:
        return f"Udgaven har endnu ingen tal til hvidbogens {total} tabeller og figurer."
    if full == total:
        return f"Udgaven gengiver alle hvidbogens {total} tabeller og figurer."
    text = f"Udgaven gengiver {'én' if shown == 1 else shown} af hvidbogens {total} tabeller og figurer"
    if partial:
        text += (f", heraf {partial} delvist; ved hver af dem står, hvad den viser" if partial > 1
                 else ", heraf én delvist; ved den står, hvad den viser")
    return text + "."
