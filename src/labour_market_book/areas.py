"""The areas the book knows: DST area codes, StatBank names and the names used in prose.

Codes are Danmarks Statistik's area codes (``000`` for the whole country, the
three-digit kommunekode otherwise); the data validation refuses codes it does not know,
so that a typo in a code cannot silently create a new area.

The 98 municipalities and their codes are copied from HL7 Denmark's FHIR code system
``dk-core-municipality-codes`` (hl7dk/dk-core, commit 0bef5182, input/fsh/codeSystems.fsh),
which cites the official kommunekodeliste of Danmarks Adresseregister
(https://danmarksadresser.dk/adressedata/kodelister/kommunekodeliste/); the same 98 codes
appear in Statistikbanken's OMRÅDE lists as resolved from FOLK1A's and RAS209's tableinfo
(syv-ai/danish_personas, config/sources.lock.yaml). Christiansø (411) is left out: it
belongs to no municipality. The names are the short names of that list; the fetch matches
Statistikbanken's answers on codes, and Jobindsats' on these names.
"""

from __future__ import annotations

NATIONAL = "Hele landet"

AREAS: dict[str, str] = {
    "000": NATIONAL,
    "101": "København",
    "147": "Frederiksberg",
    "151": "Ballerup",
    "153": "Brøndby",
    "155": "Dragør",
    "157": "Gentofte",
    "159": "Gladsaxe",
    "161": "Glostrup",
    "163": "Herlev",
    "165": "Albertslund",
    "167": "Hvidovre",
    "169": "Høje-Taastrup",
    "173": "Lyngby-Taarbæk",
    "175": "Rødovre",
    "183": "Ishøj",
    "185": "Tårnby",
    "187": "Vallensbæk",
    "190": "Furesø",
    "201": "Allerød",
    "210": "Fredensborg",
    "217": "Helsingør",
    "219": "Hillerød",
    "223": "Hørsholm",
    "230": "Rudersdal",
    "240": "Egedal",
    "250": "Frederikssund",
    "253": "Greve",
    "259": "Køge",
    "260": "Halsnæs",
    "265": "Roskilde",
    "269": "Solrød",
    "270": "Gribskov",
    "306": "Odsherred",
    "316": "Holbæk",
    "320": "Faxe",
    "326": "Kalundborg",
    "329": "Ringsted",
    "330": "Slagelse",
    "336": "Stevns",
    "340": "Sorø",
    "350": "Lejre",
    "360": "Lolland",
    "370": "Næstved",
    "376": "Guldborgsund",
    "390": "Vordingborg",
    "400": "Bornholm",
    "410": "Middelfart",
    "420": "Assens",
    "430": "Faaborg-Midtfyn",
    "440": "Kerteminde",
    "450": "Nyborg",
    "461": "Odense",
    "479": "Svendborg",
    "480": "Nordfyns",
    "482": "Langeland",
    "492": "Ærø",
    "510": "Haderslev",
    "530": "Billund",
    "540": "Sønderborg",
    "550": "Tønder",
    "561": "Esbjerg",
    "563": "Fanø",
    "573": "Varde",
    "575": "Vejen",
    "580": "Aabenraa",
    "607": "Fredericia",
    "615": "Horsens",
    "621": "Kolding",
    "630": "Vejle",
    "657": "Herning",
    "661": "Holstebro",
    "665": "Lemvig",
    "671": "Struer",
    "706": "Syddjurs",
    "707": "Norddjurs",
    "710": "Favrskov",
    "727": "Odder",
    "730": "Randers",
    "740": "Silkeborg",
    "741": "Samsø",
    "746": "Skanderborg",
    "751": "Aarhus",
    "756": "Ikast-Brande",
    "760": "Ringkøbing-Skjern",
    "766": "Hedensted",
    "773": "Morsø",
    "779": "Skive",
    "787": "Thisted",
    "791": "Viborg",
    "810": "Brønderslev",
    "813": "Frederikshavn",
    "820": "Vesthimmerland",
    "825": "Læsø",
    "840": "Rebild",
    "846": "Mariagerfjord",
    "849": "Jammerbugt",
    "851": "Aalborg",
    "860": "Hjørring",
}
"""Area code -> the book's area name (the data files' ``area`` column): the short names of the
kommunekodeliste, which Statistikbanken and Jobindsats also use, except for the names in
:data:`ALIASES`."""

CODES = {name: code for code, name in AREAS.items()}


OFFICIAL_NAMES = {
    "København": "Københavns Kommune",
    "Vesthimmerland": "Vesthimmerlands Kommune",
    "Bornholm": "Bornholms Regionskommune",
}
"""The municipalities whose official name is not the short name + " Kommune"."""


ALIASES: dict[str, str] = {
    "Vesthimmerlands": "820",
}
"""Names the sources write for a book area where they differ from :data:`AREAS`.

Seen in real answers (``tests/real/README.md``): Jobindsats' Y30R21 and Statistikbanken's
FOLK1AM both write ``Vesthimmerlands`` for the municipality the kommunekodeliste calls
``Vesthimmerland`` (820). Every other name in those answers is the book's short name."""

OTHER_AREAS: dict[str, str] = {
    "081": "Region Nordjylland",
    "082": "Region Midtjylland",
    "083": "Region Syddanmark",
    "084": "Region Hovedstaden",
    "085": "Region Sjælland",
    "411": "Christiansø",
}
"""Areas Statistikbanken answers with that are not areas of the book: the five regions
(codes as in Statistikbanken's OMRÅDE lists) and Christiansø, which belongs to no
municipality. A saved answer that holds them (a CSV asked with ``OMRÅDE=*``, such as the
real FOLK1AM export in ``tests/real/``) is read without them; any other unknown area stops
the read."""


def source_area_code(cell: str) -> str | None:
    """The book's area code for an area cell of a source's answer: a DST code
    (``730``), a short name (``Randers``), an official name (``Randers Kommune``,
    ``Københavns Kommune``) or an alias (``Vesthimmerlands``). ``None`` for a known area that
    is not one of the book's (a region, Christiansø); ``KeyError`` for anything else."""
    cell = str(cell).strip()
    if cell in AREAS:
        return cell
    if cell in OTHER_AREAS or cell in OTHER_AREAS.values():
        return None
    official = {v: k for k, v in OFFICIAL_NAMES.items()}
    name = official.get(cell, cell.removesuffix(" Kommune"))
    if name in CODES:
        return CODES[name]
    if name in ALIASES:
        return ALIASES[name]
    raise KeyError(cell)


def display_name(area: str) -> str:
    """Name used in tables and prose: ``"Randers"`` -> ``"Randers Kommune"``."""
    if area not in CODES:
        raise KeyError(f"unknown area '{area}' (known: {', '.join(CODES)})")
    if area == NATIONAL:
        return area
    return OFFICIAL_NAMES.get(area, f"{area} Kommune")


def check_area(area: str) -> str:
    """Return ``area`` if known, else raise ``ValueError`` listing the known areas."""
    if area not in CODES:
        raise ValueError(f"unknown area '{area}' (known: {', '.join(CODES)})")
    return area
