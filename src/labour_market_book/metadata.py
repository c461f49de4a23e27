"""Metadata sidecars: one YAML file beside each CSV in ``data/``.

A sidecar says what a dataset is (title, publisher, source table and url, citation
key, licence), what its columns and measures are, how its periods follow from the
reference year, where its numbers come from (transcribed from the report, or fetched
from an API, by which query and when), which exhibits it feeds, and the checksum of
the CSV. The schema is ``schema/dataset.schema.json``.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
import math
import re
from functools import lru_cache
from pathlib import Path

import jsonschema
import yaml

from .errors import DataValidationError
from .formatting import FLAGS
from .memo import remembered
from .paths import SCHEMA_DIR, data_dir
from .reading import read_text, yaml_error

SCHEMA_PATH = SCHEMA_DIR / "dataset.schema.json"


@lru_cache(maxsize=1)
def schema() -> dict:
    """The JSON schema of a sidecar."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def sidecar_paths(directory: Path | None = None) -> list[Path]:
    """All sidecars in the data folder, sorted by name."""
    return sorted((directory or data_dir()).glob("*.yaml"))


def file_checksum(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML has it (about ten times faster than the pure-Python one)."""

_SIDECARS: dict[tuple[str, str, bool], dict] = {}
"""Sidecars already read and validated in this process, by file name and exact text (what
is checked depends on nothing else, so a copy of the data folder is not checked again)."""


SEALED = {
    "columns": "the columns, their types and allowed values decide which rows are valid",
    "key": "the key decides which rows are one number",
    "measures": "the measures, their units and bounds decide which values are accepted and how they read",
    "periods": "the period rules decide which rows each edition shows",
    "coverage": "the coverage says which periods the rows span",
}
"""The parts of a sidecar that decide what the book shows: sealed like the data they describe."""

PROSE = {"description", "label_da", "note", "notes", "title_en"}
"""Fields inside the sealed parts that are words only: free to edit without sealing."""


def _without_prose(value):
    if isinstance(value, dict):
        return {k: _without_prose(v) for k, v in value.items() if k not in PROSE}
    if isinstance(value, list):
        return [_without_prose(v) for v in value]
    return value


def fingerprint(value) -> str:
    """A short SHA-256 of a YAML value as canonical JSON, its prose fields left out."""
    text = json.dumps(_without_prose(value), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def seal(meta: dict) -> dict[str, str]:
    """Part -> fingerprint of each sealed part of a sidecar (:data:`SEALED`)."""
    return {part: fingerprint(meta.get(part)) for part in SEALED}


# -- where a field is ------------------------------------------------------------------------
def field_lines(text: str) -> dict[tuple, int]:
    """Path of every key and item in a YAML text (``("measures", "share", "max")``) -> the
    1-based line it starts on, for messages that point at the line an editor shows."""
    try:
        root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return {}
    out: dict[tuple, int] = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = path + (key.value,)
                out[here] = key.start_mark.line + 1
                walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                out[path + (i,)] = item.start_mark.line + 1
                walk(item, path + (i,))

    walk(root, ())
    return out


def line_of(text: str, path) -> int | None:
    """The line of ``path`` in a YAML text, or of its nearest ancestor that has one."""
    lines = field_lines(text)
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


def _field(path) -> str:
    return ".".join(str(p) for p in path) or "(top level)"


# -- reading -----------------------------------------------------------------------------------
def check_characters(path: Path, text: str) -> None:
    """Refuse control characters (a NUL byte, a form feed ...), shown escaped, with the line
    and the character where an editor would find them."""
    for line_no, line in enumerate(text.split("\n"), start=1):
        for char_no, char in enumerate(line, start=1):
            if ord(char) < 32 and char not in "\t\r":
                raise DataValidationError(
                    path, f"a control character ({char.encode('unicode_escape').decode()}) at "
                          f"character {char_no}: delete it (it is invisible in most editors)",
                    row=line_no)


def parse_yaml(path: Path, text: str):
    """A YAML file's value; a syntax error on the line an editor shows (:func:`yaml_error`)."""
    check_characters(path, text)
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        try:                         # the pure-Python parser's message, for the same error
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:  # on the line an editor shows, not where PyYAML gave up
            raise yaml_error(path, text, exc) from None


_DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}"
_DAY_FIRST = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
PATTERN_WORDS = {
    "^[0-9]{4}(-[0-9]{2}|-Q[1-4])?$": "a period in the form YYYY, YYYY-MM or YYYY-Qn, e.g. 2024-11",
    "^[a-z][a-z0-9_]*$": "a name of small letters, digits and _ that starts with a letter, e.g. report_2025",
    "^(tabel|figur|kort)-8-[0-9]+$": "an exhibit id like tabel-8-1 or figur-8-14",
    "^[0-9a-f]{64}$": "a SHA-256 checksum (64 hexadecimal digits)",
    "^[0-9a-f]{40}$": "a git commit (40 hexadecimal digits)",
    "^[0-9a-f]{16}$": "a seal (16 hexadecimal digits; make checksums writes it)",
    "^https://": "an address that starts with https://",
    "^https?://": "an address that starts with https:// or http://",
}
"""What the schema's patterns ask for, in words (a regular expression is no help in an error)."""


def pattern_words(value, pattern: str) -> str:
    """Why ``value`` does not match a pattern of the schema, in words: ``'07-12-2026' is not a
    date in the form YYYY-MM-DD, e.g. 2026-12-07`` (a day-first date is turned round)."""
    if pattern.startswith(_DATE_PATTERN):
        day_first = _DAY_FIRST.match(str(value))
        example = (f"{day_first.group(3)}-{int(day_first.group(2)):02d}-{int(day_first.group(1)):02d}"
                   if day_first else "2026-04-15")
        return f"{value!r} is not a date in the form YYYY-MM-DD, e.g. {example}"
    if pattern in PATTERN_WORDS:
        return f"{value!r} is not {PATTERN_WORDS[pattern]}"
    return f"{value!r} does not have the form the schema asks for ({pattern})"


def _in_words(error) -> str:
    """A schema error's message, in words where jsonschema's would show a regular expression
    or a Python type: a pattern (:func:`pattern_words`), or text that YAML read as a date or a
    number because it was not in quotes."""
    if error.validator == "pattern":
        return pattern_words(error.instance, error.validator_value)
    if error.validator == "type" and error.validator_value == "string" \
            and isinstance(error.instance, (datetime.date, int, float)) and not isinstance(error.instance, bool):
        kind = "a date" if isinstance(error.instance, datetime.date) else "a number"
        return (f"{error.instance} must be in quotes (\"{error.instance}\"): without them YAML "
                f"reads it as {kind}, not as text")
    return error.message


def _schema_message(error) -> tuple[tuple, str]:
    """The path and a short message for a schema error. A provenance entry matches no
    kind (``oneOf``): the kind its ``method`` names says what is wrong, field by field."""
    path = tuple(error.absolute_path)
    if error.validator == "oneOf" and isinstance(error.instance, dict) \
            and not any("method" in b.get("properties", {}) for b in error.validator_value):
        mapping = next((b for b in error.validator_value if b.get("type") == "object"), None)
        inner = next(jsonschema.Draft202012Validator(mapping).iter_errors(error.instance), None) \
            if mapping else None      # e.g. the coverage: null or a mapping
        if inner is not None:
            return path + tuple(inner.absolute_path), _in_words(inner)
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        method = error.instance.get("method")
        branches = [b for b in error.validator_value
                    if b.get("properties", {}).get("method", {}).get("const") == method]
        if not branches:
            kinds = [b.get("properties", {}).get("method", {}).get("const") for b in error.validator_value]
            return path + ("method",), (f"'method' must be one of {', '.join(k for k in kinds if k)}"
                                        f" (it is {method!r})")
        branch = branches[0]
        unknown = sorted(set(error.instance) - set(branch.get("properties", {})))
        if unknown:
            return path + (unknown[0],), (f"'{unknown[0]}' is not a field of a '{method}' entry "
                                          f"(its fields: {', '.join(branch['properties'])})")
        missing = [f for f in branch.get("required", []) if f not in error.instance]
        if missing:
            return path, f"a '{method}' entry needs '{missing[0]}'"
        inner = next(jsonschema.Draft202012Validator(branch).iter_errors(error.instance), None)
        if inner is not None:
            return path + tuple(inner.absolute_path), _in_words(inner)
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = next((f for f in error.validator_value if f not in error.instance), None)
        if missing:
            return path, f"'{missing}' is missing"
    if error.validator in ("pattern", "type"):
        return path, _in_words(error)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            return path + (extra[0],), f"'{extra[0]}' is not a known field here"
    message = error.message
    if len(message) > 200:
        message = message[:197] + "..."
    return path, message


def load_sidecar(path: Path, *, check_seal: bool = True) -> dict:
    """Read and check one sidecar: its YAML, its schema, what it means (rules that fit the
    frequency, bounds that are numbers, nothing declared twice) and, with ``check_seal``,
    that the parts deciding what the book shows are as sealed. Errors name the file, the
    line and the field."""
    path = Path(path)
    text = read_text(path)  # UTF-8 or an error with line and character
    cached = _SIDECARS.get((path.name, text, check_seal))
    if cached is None:              # read and validated before, here or in an earlier build
        cached = remembered("sidecar", (path.name, text, check_seal),
                            lambda: _load_sidecar(path, text, check_seal))
        _SIDECARS[(path.name, text, check_seal)] = cached
    return copy.deepcopy(cached)


def _load_sidecar(path: Path, text: str, check_seal: bool) -> dict:
    meta = parse_yaml(path, text)
    if not isinstance(meta, dict):
        raise DataValidationError(path, "a sidecar must be a YAML mapping")
    errors = sorted(jsonschema.Draft202012Validator(schema()).iter_errors(meta),
                    key=lambda e: list(e.absolute_path))
    if errors:
        where, message = _schema_message(errors[0])
        row = line_of(text, where)
        if errors[0].validator == "required":  # often a key indented into the line above it
            name = message.split("'")[1]
            lines = text.split("\n")
            start = (row or 0)                    # the object's own block: below its line
            depth = len(lines[start - 1]) - len(lines[start - 1].lstrip()) if start else -1
            end = next((i for i in range(start, len(lines)) if lines[i].strip()
                        and not lines[i].lstrip().startswith("#")
                        and len(lines[i]) - len(lines[i].lstrip()) <= depth), len(lines))
            hidden = next((i + 1 for i in range(start, end)
                           if re.match(rf"^\s+{re.escape(name)}:", lines[i])), None)
            if hidden is not None:
                message += (f" here, but line {hidden} has it indented further (into the value "
                            "above it?): indent it like its neighbours")
                row = hidden
        raise DataValidationError(path, f"metadata field '{_field(where)}': {message}", row=row)
    if meta["id"] != path.stem:
        raise DataValidationError(path, f"metadata field 'id': '{meta['id']}' must equal "
                                  f"the file name '{path.stem}'", row=line_of(text, ["id"]))
    check_meaning(path, text, meta)
    if check_seal:
        check_sealed(path, text, meta)
    return meta


FREQUENCY_FIELDS = {"month": ("month", "quarter"), "quarter": ("quarter", "month"), "year": (None, None)}


def check_meaning(path: Path, text: str, meta: dict) -> None:
    """What the schema cannot say: columns and key fields declared once, the tidy layout's
    columns there, bounds that are finite numbers in order, flags the book knows, and
    period rules that fit the dataset's frequency."""
    def fail(where, message):
        raise DataValidationError(path, f"metadata field '{_field(where)}': {message}",
                                  row=line_of(text, where))

    names = [c["name"] for c in meta["columns"]]
    for i, name in enumerate(names):
        if names.index(name) != i:
            fail(["columns", i, "name"], f"the column '{name}' is declared twice")
    for i, field in enumerate(meta["key"]):
        if meta["key"].index(field) != i:
            fail(["key", i], f"'{field}' is in the key twice")
        if field not in names:
            fail(["key", i], f"'{field}' is not a column")
    for required in ("area", "period", "measure", "value", "unit", "flag", "provenance"):
        if required not in names:
            fail(["columns"], f"the tidy layout needs a '{required}' column")
    for i, column in enumerate(meta["columns"]):
        if column["name"] == "flag" and "allowed" in column:
            unknown = [f for f in column["allowed"] if f not in FLAGS]
            if unknown:
                fail(["columns", i, "allowed"], f"{unknown[0]!r} is not a flag the book knows "
                     f"({', '.join(repr(f) for f in FLAGS)})")
    for name, spec in meta["measures"].items():
        for bound in ("min", "max"):
            if bound in spec and (not isinstance(spec[bound], (int, float)) or isinstance(spec[bound], bool)
                                  or not math.isfinite(spec[bound])):
                fail(["measures", name, bound], f"the bound must be a number, not {spec[bound]!r}")
        if "min" in spec and "max" in spec and spec["min"] > spec["max"]:
            fail(["measures", name, "min"], f"min {spec['min']} is above max {spec['max']}")
    frequency = meta["periods"]["frequency"]
    field, other = FREQUENCY_FIELDS[frequency]
    for role, rule in meta["periods"]["rules"].items():
        where = ["periods", "rules", role]
        if field and rule.get(field) is None:
            fail(where, f"a rule of a {frequency}ly dataset needs '{field}' (which {field} of the "
                        "year the edition shows)")
        if other and rule.get(other) is not None:
            fail(where + [other], f"a rule of a {frequency}ly dataset has no '{other}'")
        if not field and (rule.get("month") is not None or rule.get("quarter") is not None):
            fail(where, "a rule of a yearly dataset has neither 'month' nor 'quarter'")
        for measure in rule.get("measures") or []:
            if measure not in meta["measures"]:
                fail(where + ["measures"], f"'{measure}' is not a measure of this dataset")


def check_sealed(path: Path, text: str, meta: dict, *, parts=None, consequence=None) -> None:
    """Refuse a sidecar whose sealed parts (all, or those in ``parts``) changed since ``make
    checksums`` sealed them. ``consequence``, given the changed parts, may say what the change
    would do and which fix comes first: ``(sentence, advice)``, or None for the usual advice."""
    sealed = meta["checksum"].get("sealed")
    if not isinstance(sealed, dict):
        raise DataValidationError(path, "metadata field 'checksum.sealed' is missing: run `make "
                                  "checksums` to seal the parts that decide what the book shows",
                                  row=line_of(text, ["checksum"]))
    changed = [part for part, value in seal(meta).items()
               if sealed.get(part) != value and (parts is None or part in parts)]
    if changed:
        why = "; ".join(SEALED[part] for part in changed)
        said = consequence(changed) if consequence else None
        them = "them" if len(changed) > 1 else "it"
        sentence, advice = said or ("", f"If you changed {them} on purpose, run `make checksums`; "
                                        "if not, undo the change")
        raise DataValidationError(
            path, f"metadata field{'s' if len(changed) > 1 else ''} "
                  f"{', '.join(repr(p) for p in changed)} changed since "
                  f"{'they were' if len(changed) > 1 else 'it was'} sealed ({why}){sentence}. "
                  f"{advice}", row=line_of(text, [changed[0]]))


def sealed_changed(meta: dict, part: str) -> bool:
    """Whether a sealed part of a sidecar differs from its seal (a sidecar never sealed: no)."""
    sealed = meta.get("checksum", {}).get("sealed")
    return isinstance(sealed, dict) and sealed.get(part) != fingerprint(meta.get(part))


# -- editing a sidecar's text in place ---------------------------------------------------
def top_level_blocks(lines: list[str]) -> dict[str, tuple[int, int]]:
    """Top-level key -> (first line, end line) of its block in a sidecar's lines."""
    starts = [(i, line.split(":", 1)[0]) for i, line in enumerate(lines)
              if line[:1].isalpha() and ":" in line]
    blocks = {}
    for n, (i, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        while end > i + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1                          # comments and blank lines before the next key stay
        blocks[key] = (i, end)
    return blocks


_NUMBER_LIKE = re.compile(r"^[-+]?[0-9][0-9:.,TQ+\- ]*$")
"""Text that looks like a number, a period, a date or a span of years (``2024``, ``2013-11``,
``2024-Q1``, ``2014-2024``): always written in double quotes, so that no reader (nor YAML 1.1)
takes it for a number or a date, and so that it reads the same whatever the value."""


class _StableDumper(yaml.SafeDumper):
    """PyYAML's safe dumper with one quoting rule, whatever the value: text is plain where
    it can be, and otherwise in double quotes (never single quotes); text that looks like a
    number, a period or a date is always in double quotes (:data:`_NUMBER_LIKE`)."""

    def choose_scalar_style(self):
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


_StableDumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style='"' if _NUMBER_LIKE.match(value) else None))


def yaml_lines(value, indent: int) -> list[str]:
    """``value`` as YAML lines indented by ``indent`` spaces (block style, keys in order),
    written the same way every time (:class:`_StableDumper`): ``make checksums`` and ``make
    data`` rewrite a block byte for byte as they wrote it before when the value is the same."""
    text = yaml.dump(value, Dumper=_StableDumper, allow_unicode=True, sort_keys=False, width=100)
    return [" " * indent + line if line else line for line in text.rstrip("\n").split("\n")]



def replace_block(text: str, key: str, value) -> str:
    """The text with the top-level block ``key`` set to ``value`` (or appended), every other
    line (comments, folded text, flow lists) as it was."""
    lines = text.split("\n")
    blocks = top_level_blocks(lines)
    block = [f"{key}: null"] if value is None else [f"{key}:"] + yaml_lines(value, 2)
    if key not in blocks:
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join(lines + block) + "\n"
    start, end = blocks[key]
    return "\n".join(lines[:start] + block + lines[end:])


def checksum_block(meta: dict, csv_checksum: str) -> dict:
    """The ``checksum`` block for a dataset: the CSV's SHA-256 and the seal of the sidecar's
    parts that decide what the book shows (:func:`seal`)."""
    return {"algorithm": "sha256", "value": csv_checksum, "sealed": seal(meta)}


def write_checksum(sidecar: Path, meta: dict, csv_checksum: str) -> bool:
    """Seal a sidecar: set its checksum block (the CSV's checksum and the seal of its parts),
    keeping its comments and layout. Returns whether the file changed."""
    text = sidecar.read_text(encoding="utf-8")
    new = replace_block(text, "checksum", checksum_block(meta, csv_checksum))
    if new != text:
        sidecar.write_text(new, encoding="utf-8")
        return True
    return False
