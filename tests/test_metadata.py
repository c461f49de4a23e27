"""Every sidecar validates, its checksum matches, and what it claims is true."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from labour_market_book.catalogue import catalogue_markdown
from labour_market_book.metadata import SCHEMA_PATH, file_checksum, load_sidecar, sidecar_paths

REPO = Path(__file__).resolve().parent.parent
SIDECARS = sidecar_paths(REPO / "data")


def test_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def test_every_csv_has_a_sidecar_and_back():
    csvs = {p.stem for p in (REPO / "data").glob("*.csv")}
    assert csvs == {p.stem for p in SIDECARS} and csvs


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.name)
def test_sidecar_validates_and_checksum_matches(sidecar):
    meta = load_sidecar(sidecar)
    assert meta["checksum"]["value"] == file_checksum(sidecar.with_suffix(".csv"))


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.name)
def test_citation_keys_exist_in_the_bibliography(sidecar):
    bib = (REPO / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    assert meta["citation_key"] in keys
    if meta["provenance"]["method"] == "transcribed":
        assert meta["provenance"]["document"] in keys


@pytest.mark.parametrize("sidecar", SIDECARS, ids=lambda p: p.name)
def test_fed_exhibits_exist_in_a_notebook(sidecar):
    meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    text = "".join(p.read_text(encoding="utf-8") for p in (REPO / "notebooks").glob("*.ipynb"))
    for exhibit in meta["feeds"]:
        assert f":name: {exhibit}" in text, f"{exhibit} is fed by {sidecar.name} but never shown"


def test_schema_refuses_an_unknown_provenance_method(tmp_path):
    source = SIDECARS[0]
    bad = tmp_path / source.name
    bad.write_text(source.read_text(encoding="utf-8").replace("method: transcribed", "method: guessed"),
                   encoding="utf-8")
    with pytest.raises(Exception, match="provenance"):
        load_sidecar(bad)


def test_data_appendix_is_written_from_the_sidecars():
    text = catalogue_markdown()
    for sidecar in SIDECARS:
        meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
        assert meta["title"] in text
        assert meta["source"]["table_id"] in text
        assert meta["checksum"]["value"] in text
