"""Writing fetched data: raw snapshots, and the atomic update of a dataset and its sidecar."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import yaml

from ..datasets import load_dataset
from ..validation import coverage_of
from ..errors import DataValidationError
from ..metadata import checksum_block, file_checksum, top_level_blocks, yaml_lines
from .http import FetchError


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def snapshot_text(text: str) -> str:
    """An answer's text as a snapshot keeps it: no byte-order mark, LF line ends."""
    return text.lstrip("\ufeff").replace("\r\n", "\n")


def snapshot_checksum(text: str) -> str:
    """The SHA-256 of an answer's snapshot (:func:`snapshot_text`), as the provenance entry
    records it: a copy of the answer can be checked against the sidecar."""
    return hashlib.sha256(snapshot_text(text).encode("utf-8")).hexdigest()


def write_snapshot(folder: Path, name: str, text: str, request: dict, retrieved_at: str,
                   host: str, *, suffix: str = ".csv", extra: dict | None = None) -> Path:
    """Keep an answer as fetched (``<folder>/<name>.csv`` or ``.json``) with a sidecar holding
    the request, the time of retrieval and the checksum. Written atomically.

    ``data/raw/`` is a local record of what was fetched, ignored by git: the provenance
    entry in the dataset's sidecar carries the request, the time and this checksum."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}{suffix}"
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(snapshot_text(text))
    meta = {"host": host, "request": request, "retrieved_at": retrieved_at, **(extra or {}),
            "checksum": {"algorithm": "sha256", "value": file_checksum(Path(tmp))}}
    os.replace(tmp, target)
    (folder / f"{name}.yaml").write_text(
        "# Raw snapshot of an API answer, as fetched (labour_market_book.fetch)\n"
        + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def _cells(frame: pd.DataFrame, columns: list[str]) -> list[list[str]]:
    out = []
    for _, row in frame.iterrows():
        cells = []
        for c in columns:
            v = row.get(c, "")
            if c == "value":
                v = "" if pd.isna(v) else f"{float(v):.{int(row['decimals'])}f}"
            elif pd.isna(v):
                v = ""
            cells.append(str(v))
        out.append(cells)
    return out


def update_dataset(data_dir: Path, dataset_id: str, fetched: pd.DataFrame, entry_id: str,
                   entry: dict) -> list[dict]:
    """Merge ``fetched`` rows into a dataset: a fetched row replaces a row with the same key.

    The new CSV and sidecar (provenance entry added, coverage and checksum updated) are
    written to a temporary folder, validated there exactly as bundled data are, and only
    then moved over the old files. Returns the differences from numbers transcribed from
    the report (at the report's printed precision), which the provenance entry also keeps
    (``differences``) for the book's page "Afvigelser fra hvidbogen".
    """
    current = load_dataset(dataset_id, data_dir)
    meta = current.meta
    columns = [c["name"] for c in meta["columns"]]
    key = meta["key"]
    fetched = fetched.assign(provenance=entry_id)
    for column in columns:                 # dimensions a transform leaves out are empty
        if column not in fetched:
            fetched[column] = ""
    old = current.frame.copy()
    merged_key = lambda f: f[key].fillna("").astype(str).agg("|".join, axis=1)
    replaced = merged_key(old).isin(set(merged_key(fetched))) if not old.empty else pd.Series(dtype=bool)
    deviations = []
    if not old.empty:
        reports = {eid for eid, e in meta["provenance"].items() if e["method"] == "transcribed"}
        for _, was in old[replaced].iterrows():
            if was["provenance"] not in reports or pd.isna(was["value"]):
                continue
            was_key = {k: "" if pd.isna(was[k]) else str(was[k]) for k in key}
            now = fetched[merged_key(fetched) == "|".join(was_key.values())].iloc[0]
            printed = f"{was['value']:.{int(was['decimals'])}f}"
            refetched = "" if pd.isna(now["value"]) else f"{float(now['value']):.{int(was['decimals'])}f}"
            if printed != refetched:
                deviations.append({"dataset": dataset_id, **was_key,
                                   "printed": printed, "fetched": refetched or "(suppressed)"})
    if deviations:                         # kept with the fetch: 'Afvigelser fra hvidbogen'
        entry = {**entry, "differences": [
            {**{k: v for k, v in d.items() if k != "dataset" and v != ""}} for d in deviations]}
    rows = pd.concat([old[~replaced] if not old.empty else old, fetched], ignore_index=True)
    meta = dict(meta)
    meta["provenance"] = {**meta["provenance"], entry_id: {**entry, "row_count": int(len(fetched))}}
    meta["coverage"] = coverage_of(rows, meta)        # as `make checksums` writes it
    with tempfile.TemporaryDirectory(prefix="lmb-fetch-") as tmp:
        folder = Path(tmp)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(_cells(rows, columns))
        (folder / f"{dataset_id}.csv").write_text(buffer.getvalue(), encoding="utf-8")
        meta["checksum"] = checksum_block(meta, file_checksum(folder / f"{dataset_id}.csv"))
        sidecar = (data_dir / f"{dataset_id}.yaml").read_text(encoding="utf-8")
        (folder / f"{dataset_id}.yaml").write_text(
            edit_sidecar(sidecar, entry_id, meta["provenance"][entry_id], meta["coverage"],
                         meta["checksum"]), encoding="utf-8")
        try:
            load_dataset(dataset_id, folder)            # the same validation as bundled data
        except DataValidationError as exc:
            raise FetchError(f"the fetched rows for {dataset_id} do not validate ({exc}); the "
                             "bundled data are unchanged") from None
        for suffix in (".csv", ".yaml"):                 # only now replace the old files
            staged = data_dir / f".{dataset_id}{suffix}.new"
            shutil.copyfile(folder / f"{dataset_id}{suffix}", staged)
            os.replace(staged, data_dir / f"{dataset_id}{suffix}")
    return deviations


def edit_sidecar(text: str, entry_id: str, entry: dict, coverage: dict | None,
                 checksum: dict) -> str:
    """The sidecar's text with one provenance entry added or replaced, and the coverage and
    checksum set, every other line (comments, folded descriptions, flow lists) as it was:
    a `make data` run changes only what it must, so its diff is easy to review."""
    lines = text.split("\n")
    blocks = top_level_blocks(lines)
    start, end = blocks["provenance"]
    body = lines[start + 1:end]
    own = [i for i, line in enumerate(body) if line.startswith(f"  {entry_id}:")]
    new_entry = [f"  {entry_id}:"] + yaml_lines(entry, 4)
    if own:
        i = own[0]
        j = next((k for k in range(i + 1, len(body)) if re.match(r"^  [a-z][a-z0-9_]*:", body[k])),
                 len(body))
        body = body[:i] + new_entry + body[j:]
    else:
        body = body + new_entry
    lines = lines[:start + 1] + body + lines[end:]
    for key, value in (("coverage", coverage), ("checksum", checksum)):
        blocks = top_level_blocks(lines)
        start, end = blocks[key]
        block = [f"{key}: null"] if value is None else [f"{key}:"] + yaml_lines(value, 2)
        lines = lines[:start] + block + lines[end:]
    return "\n".join(lines)
