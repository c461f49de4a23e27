"""Reading data and metadata files as text, with errors that name the real cause.

The book's data files are UTF-8, comma-separated, with LF line endings and a dot as
decimal mark. Files saved by a spreadsheet often differ in one of these ways, and
the usual symptom (a missing column, a wrong number of fields, a checksum mismatch)
hides the cause. The helpers here look for the cause and say it, with the file, the
line (as a text editor numbers it, from 1) and the column.
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import yaml

from .errors import DataValidationError

BOM = b"\xef\xbb\xbf"
"""The UTF-8 byte-order mark that Excel's "CSV UTF-8" writes at the start of a file."""

_SEPARATORS = {";": "';'", "\t": "tabs", "|": "'|'"}
_WHOLE_RE = re.compile(r"^-?\d+$")
_DIGITS_RE = re.compile(r"^\d+$")


# -- text ---------------------------------------------------------------------------------
def read_text(path: Path, *, csv_columns: bool = False) -> str:
    """A file's text: UTF-8, a leading byte-order mark dropped.

    Anything that is not UTF-8 is refused with the line and the character position
    (1-based) of the first bad byte; with ``csv_columns`` also the CSV column it is in.
    """
    data = Path(path).read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        how = " ('CSV UTF-8' in Excel, not 'Unicode text')" if csv_columns else ""
        raise DataValidationError(path, f"the file is UTF-16 encoded; it must be UTF-8: save it "
                                  f"as UTF-8{how}", row=1)
    if data.startswith(BOM):
        data = data[len(BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(path, data, exc.start, csv_columns) from None


def _not_utf8(path: Path, data: bytes, start: int, csv_columns: bool) -> DataValidationError:
    line = data.count(b"\n", 0, start) + 1
    line_start = data.rfind(b"\n", 0, start) + 1
    prefix = data[line_start:start].decode("utf-8")  # all bytes before the first bad one are UTF-8
    char = len(prefix) + 1
    bad = data[start]
    excel = ", as Excel's plain 'CSV' saves," if csv_columns else ""
    try:
        seen = f" (in Latin-1/Windows-1252{excel} it is '{bytes([bad]).decode('cp1252')}')"
    except UnicodeDecodeError:
        seen = ""
    column = _csv_column_at(data, line, prefix) if csv_columns else None
    how = " ('CSV UTF-8' in Excel)" if csv_columns else ""
    return DataValidationError(
        path, f"the file must be UTF-8, but byte 0x{bad:02X} at character {char} is not UTF-8"
              f"{seen}: save the file as UTF-8{how}", row=line, column=column)


def _csv_column_at(data: bytes, line: int, prefix: str) -> str | None:
    """Name of the CSV column in which ``prefix`` (the start of line ``line``) ends."""
    if line == 1:
        return None  # in the header itself
    try:
        header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")]), [])
        fields = next(csv.reader([prefix]), [])
    except (csv.Error, UnicodeDecodeError):
        return None
    index = max(len(fields) - 1, 0)
    return header[index] if index < len(header) else None


# -- CSV ----------------------------------------------------------------------------------
def read_rows(path: Path, columns: list[dict]) -> list[dict]:
    """Read a CSV as text, checking the encoding, separator, header and fields per line.

    Returns one dict per data row, column name -> raw text, plus ``_line``.
    """
    text = read_text(path, csv_columns=True)
    lines = text.splitlines()
    if not lines:
        raise DataValidationError(path, "the file is empty (it needs at least a header row)", row=1)
    first = lines[0]
    for sep, name in _SEPARATORS.items():
        if first.count(sep) > first.count(","):
            raise DataValidationError(
                path, f"the file is separated by {name}, but the book's data files are "
                      "comma-separated: save it as CSV with ',' between fields (and '.' as "
                      "decimal mark)", row=1)
    reader = csv.reader(lines)
    header = next(reader)
    declared = [c["name"] for c in columns]
    for name in header:
        if name != name.strip() and name.strip() in declared:
            raise DataValidationError(path, f"the header cell {name!r} has a stray space: write "
                                      f"'{name.strip()}'", row=1, column=name.strip())
    for name in declared:
        if name not in header:
            raise DataValidationError(path, "this declared column is missing from the header",
                                      row=1, column=name)
    for name in header:
        if name not in declared:
            raise DataValidationError(path, "this column is not declared in the metadata",
                                      row=1, column=name)
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise DataValidationError(path, "this column appears twice in the header", row=1, column=dup)
    numbers = {c["name"] for c in columns if c["type"] == "number"}
    rows = []
    for line_no, fields in enumerate(reader, start=2):
        if not fields:
            continue
        if len(fields) != len(header):
            raise _wrong_field_count(path, line_no, header, fields, numbers)
        row = dict(zip(header, fields))
        row["_line"] = line_no
        rows.append(row)
    return rows


def _wrong_field_count(path: Path, line: int, header: list[str], fields: list[str],
                       numbers: set[str]) -> DataValidationError:
    counts = f"expected {len(header)} fields, found {len(fields)}"
    if len(fields) > len(header):
        # A decimal comma splits "22,8" into "22" and "8": the first of them sits in the
        # column where it happened (the fields before it are still in place).
        splits = [i for i in range(min(len(header), len(fields) - 1))
                  if _WHOLE_RE.match(fields[i]) and _DIGITS_RE.match(fields[i + 1])]
        if splits:
            i = next((i for i in splits if header[i] in numbers), splits[0])
            whole, part = fields[i], fields[i + 1]
            if len(part) == 3:  # 14,494 may as well be a thousands separator
                return DataValidationError(
                    path, f"a decimal comma or thousands separator ({whole},{part}) seems to have "
                          f"split the row ({counts}): use a dot as decimal mark and no thousands "
                          f"separator ({whole}.{part} or {whole}{part})", row=line, column=header[i])
            return DataValidationError(
                path, f"a decimal comma ({whole},{part}) seems to have split the row ({counts}): "
                      f"use a dot as decimal mark ({whole}.{part})", row=line, column=header[i])
    return DataValidationError(path, counts, row=line)


# -- checksums ----------------------------------------------------------------------------
def checksum_mismatch_cause(path: Path, sealed: str) -> str:
    """End of the message for a file whose bytes do not match the sealed checksum.

    Names Windows (CRLF) line endings and a byte-order mark, the usual accidental
    changes from an editor, a spreadsheet or git on Windows.
    """
    data = Path(path).read_bytes()
    causes = []
    if b"\r\n" in data:
        causes.append("the file has Windows (CRLF) line endings: convert it to LF")
    if data.startswith(BOM):
        causes.append("the file starts with a UTF-8 byte-order mark (as Excel writes): save it "
                      "without one")
    if not causes:
        return ". If you changed the data on purpose, run `make checksums`."
    plain = data.removeprefix(BOM).replace(b"\r\n", b"\n")
    if hashlib.sha256(plain).hexdigest() == sealed:
        tail = " (the data are otherwise unchanged: the converted file matches the checksum)."
    else:
        tail = "; then, if you changed the data on purpose, run `make checksums`."
    return "; " + "; ".join(causes) + tail


# -- YAML ---------------------------------------------------------------------------------
def yaml_error(path: Path, text: str, exc: yaml.YAMLError) -> DataValidationError:
    """A :class:`DataValidationError` for a YAML syntax error, on the line an editor shows.

    PyYAML's marks are 0-based. Its ``problem_mark`` is where the parser gave up, which
    for a key without ':' is the next line and for an unclosed quote can be many lines
    further; the line to fix is then where the key or the quoted value starts.
    """
    problem = getattr(exc, "problem", None)
    mark = getattr(exc, "problem_mark", None)
    if not problem or mark is None:
        return DataValidationError(path, f"not valid YAML ({exc})")
    context = getattr(exc, "context", None) or ""
    context_mark = getattr(exc, "context_mark", None)
    quoted = _runaway_quote(text, mark)
    if quoted is not None:
        start = quoted.start_mark
        quote = quoted.style
        return DataValidationError(
            path, f"not valid YAML: the value opened with {quote} at character {start.column + 1} "
                  f"is not closed on this line (add the closing {quote})", row=start.line + 1)
    if context.startswith("while scanning") and context_mark is not None:
        start = context_mark  # where the token that could not be read starts
        if context == "while scanning a quoted scalar":
            message = (f"the value opened with {text[start.index]} at character {start.column + 1} "
                       f"is never closed (add the closing {text[start.index]})")
        elif context == "while scanning a simple key":
            message = (f"the key at character {start.column + 1} has no ':' after it "
                       "(write 'key: value')")
        else:
            message = f"{problem} ({context} at character {start.column + 1})"
        return DataValidationError(path, f"not valid YAML: {message}", row=start.line + 1)
    if "expected <block end>" in problem:
        culprit = _over_indented(text, mark.line)
        if culprit is not None:
            return DataValidationError(
                path, "not valid YAML: this line is indented further than the lines beside it "
                      f"(the block's next line, {mark.line + 1}, has the indentation it expects): "
                      "indent it like its neighbours", row=culprit + 1)
    message = f"not valid YAML: {problem} at character {mark.column + 1}"
    if "'\\t'" in problem:
        message += " (indent with spaces, not tabs)"
    if "expected <block end>" in problem:
        message += " (its indentation does not fit the lines above it)"
    elif problem == "mapping values are not allowed here":
        message += (" (is this line indented further than the key above it, or does an "
                    "unquoted value contain ': '?)")
    return DataValidationError(path, message, row=mark.line + 1)


def _runaway_quote(text: str, mark) -> yaml.ScalarToken | None:
    """A quoted value just before ``mark`` that runs over lines: an unclosed quote."""
    tokens = []
    try:
        for token in yaml.scan(text):
            if token.start_mark.index >= mark.index:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass
    for token in reversed(tokens[-3:]):
        if (isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
                and token.start_mark.line != token.end_mark.line):
            return token
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _over_indented(text: str, bad: int) -> int | None:
    """For a block that ends badly at line ``bad`` (0-based): the first line of that block,
    when it is indented further than ``bad`` (where the block's keys should stand), i.e. the
    line an editor should fix; None when that is not what happened."""
    lines = text.split("\n")
    if bad >= len(lines):
        return None
    depth = _indent(lines[bad])
    meaningful = lambda j: lines[j].strip() and not lines[j].lstrip().startswith("#")
    parent = next((j for j in range(bad - 1, -1, -1) if meaningful(j) and _indent(lines[j]) < depth), None)
    if parent is None:
        return None
    first = next((j for j in range(parent + 1, bad) if meaningful(j)), None)
    if first is not None and _indent(lines[first]) > depth:
        return first
    return None
