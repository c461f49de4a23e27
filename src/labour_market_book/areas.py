"""The areas the book knows: DST area codes, StatBank names and the names used in prose.

Codes are Danmarks Statistik's area codes (``000`` for the whole country, the
three-digit kommunekode otherwise). A refresh that brings more municipalities adds
them here; the data validation refuses codes it does not know, so that a typo in a
code cannot silently create a new area.
"""

from __future__ import annotations

NATIONAL = "Hele landet"

AREAS: dict[str, str] = {
    "000": NATIONAL,
    "730": "Randers",
    "615": "Horsens",
    "740": "Silkeborg",
    "630": "Vejle",
    # The other municipalities of Tabel 8.4 (Jobindsats.dk's benchmark of framework
    # conditions). The codes are Danmarks Statistik's official kommunekoder.
    "201": "Allerød",
    "230": "Rudersdal",
    "155": "Dragør",
    "157": "Gentofte",
    "173": "Lyngby-Taarbæk",
    "849": "Jammerbugt",
    "330": "Slagelse",
    "707": "Norddjurs",
    "482": "Langeland",
    "813": "Frederikshavn",
    "479": "Svendborg",
    "376": "Guldborgsund",
    "360": "Lolland",
}
"""Area code -> area name as in StatBank (and in the data files' ``area`` column)."""

CODES = {name: code for code, name in AREAS.items()}


def display_name(area: str) -> str:
    """Name used in tables and prose: ``"Randers"`` -> ``"Randers Kommune"``."""
    if area not in CODES:
        raise KeyError(f"unknown area '{area}' (known: {', '.join(CODES)})")
    return area if area == NATIONAL else f"{area} Kommune"


def check_area(area: str) -> str:
    """Return ``area`` if known, else raise ``ValueError`` listing the known areas."""
    if area not in CODES:
        raise ValueError(f"unknown area '{area}' (known: {', '.join(CODES)})")
    return area
