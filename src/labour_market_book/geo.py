"""Optional district geometry: with it, Kort 8.2 and 8.3 are drawn as maps.

The book ships no district geometry (none is bundled with a licence to publish it), so
the two maps are drawn as sorted bar charts. A user who has the school districts'
boundaries adds them as ``data/geo/skoledistrikter.geojson``: a GeoJSON
FeatureCollection of Polygon or MultiPolygon features whose property ``skoledistrikt``
is the district's name exactly as in the data. The same exhibits are then drawn as
choropleth maps, with no other change. The file is validated before any notebook runs.
"""

from __future__ import annotations

import json
from pathlib import Path

from .errors import DataValidationError
from .paths import data_dir

DISTRICTS_FILE = Path("geo") / "skoledistrikter.geojson"
NAME_PROPERTY = "skoledistrikt"


def districts_path(directory: Path | None = None) -> Path:
    return (Path(directory) if directory else data_dir()) / DISTRICTS_FILE


def load_districts(directory: Path | None = None) -> dict | None:
    """The districts' GeoJSON, checked; None when no geometry is bundled."""
    path = districts_path(directory)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataValidationError(path, f"not valid JSON ({exc.msg})", row=exc.lineno) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataValidationError(path, "must be a GeoJSON FeatureCollection")
    names = set()
    for i, feature in enumerate(data.get("features") or []):
        props = feature.get("properties") or {}
        name = props.get(NAME_PROPERTY)
        if not name:
            raise DataValidationError(path, f"feature {i} has no property '{NAME_PROPERTY}'")
        if name in names:
            raise DataValidationError(path, f"feature {i}: district '{name}' appears twice")
        names.add(name)
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise DataValidationError(path, f"feature {i} ('{name}'): geometry must be a Polygon "
                                      "or MultiPolygon")
    if not names:
        raise DataValidationError(path, "the FeatureCollection has no features")
    return data


def rings(geometry: dict) -> list[list[tuple[float, float]]]:
    """The outer rings of a Polygon or MultiPolygon as lists of (x, y)."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[(float(x), float(y)) for x, y, *_ in polygon[0]] for polygon in polygons]
