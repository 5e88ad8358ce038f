"""Text of a .xlsx, read as a stream (see ``extract``)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from approval.core.screening import extract as base
from approval.core.screening import office_package as package

# --- .xlsx -----------------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"([#,0]*)(?:\.(0+))?(%?)")


def _display(value, number_format: str) -> str:
    """The value roughly as Excel shows it; whole numbers in full (no 1.38123E+10)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return str(value)
    if isinstance(value, (int, float)):
        plain = _PLAIN_NUMBER.fullmatch(number_format or "")
        if plain and (plain.group(2) or plain.group(3) or "," in plain.group(1)):
            shown = value * 100 if plain.group(3) else value
            comma = "," if "," in plain.group(1) else ""
            return f"{shown:{comma}.{len(plain.group(2) or '')}f}{plain.group(3)}"
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return format(value, ".15g") if isinstance(value, float) else str(value)
    return str(value)


_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _text_of(element) -> str:
    """A shared or inline string: its plain text, or its rich-text runs (not phonetic guides)."""
    return "".join(element.xpath("s:t/text() | s:r/s:t/text()", namespaces={"s": _S[1:-1]}))


def read(path: Path, out: base._Collector) -> None:
    """Every sheet's cells as the file lists them, read as a stream with lxml. openpyxl is not
    used to read: its read-only workbook scans a whole sheet for its size when the sheet does not
    state it, and its row iterator pads the gaps between rows with empty rows (one cell in row
    1,000,000,000 made it loop a billion times). Only cells present are looked at; rows are
    counted by their index against MAX_ROWS, and a cell outside Excel's grid is refused."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.utils.datetime import (
        CALENDAR_MAC_1904,
        CALENDAR_WINDOWS_1900,
        from_excel,
        from_ISO8601,
    )

    package.check_zip(path)
    with zipfile.ZipFile(path) as archive:
        book = next(
            n for _, t, n in package.relationships(archive, "") if t.endswith("/officeDocument")
        )
        related = package.relationships(archive, book)
        parts = {rid: name for rid, _, name in related}
        workbook = package.small_part(archive, book)
        if workbook.tag != f"{_S}workbook":  # a Word document named .xlsx, a Strict workbook
            raise ValueError(f"the main part is {workbook.tag}, not a workbook")
        properties = workbook.find(f"{_S}workbookPr")
        mac = properties is not None and properties.get("date1904") in ("1", "true")
        epoch = CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900
        shared, formats = [], []
        for _, kind, name in related:
            if kind.endswith("/sharedStrings") and name in archive.NameToInfo:
                for si in package.streamed(archive, name, f"{_S}si", out):
                    text = _text_of(si)
                    out.read(len(text))
                    shared.append(text)
            elif kind.endswith("/styles") and name in archive.NameToInfo:
                styles = package.small_part(archive, name)
                custom = {
                    int(f.get("numFmtId")): f.get("formatCode", "")
                    for f in styles.iterfind(f"{_S}numFmts/{_S}numFmt")
                }
                formats = [
                    custom.get(n, BUILTIN_FORMATS.get(n, "General"))
                    for n in (
                        int(xf.get("numFmtId", 0)) for xf in styles.iterfind(f"{_S}cellXfs/{_S}xf")
                    )
                ]

        def value_of(c):
            kind, raw = c.get("t", "n"), c.findtext(f"{_S}v") or None
            number_format = formats[int(c.get("s", 0))] if c.get("s") else "General"
            if kind == "inlineStr":
                inline = c.find(f"{_S}is")
                return _text_of(inline) if inline is not None else None
            if raw is None:
                return None
            if kind == "s":
                return shared[int(raw)]
            if kind == "b":
                return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
            if kind == "d":  # an ISO 8601 date
                try:
                    return _display(from_ISO8601(raw), number_format)
                except ValueError:
                    return raw
            if kind in ("str", "e"):
                return raw
            number = float(raw)
            if is_date_format(number_format):
                try:
                    return _display(from_excel(number, epoch), number_format)
                except (OverflowError, ValueError):
                    pass
            if number.is_integer() and "." not in raw and "E" not in raw.upper():
                number = int(raw)
            return _display(number, number_format)

        cells = scanned = rows = 0
        for sheet in workbook.iter(f"{_S}sheet"):
            name = parts.get(sheet.get(package.R + "id"))
            if name not in archive.NameToInfo:
                continue
            title = sheet.get("name", "")
            hidden = "" if sheet.get("state", "visible") == "visible" else "（隐藏）"
            last_row = index = 0
            for row in package.streamed(archive, name, f"{_S}row", out):
                index = int(row.get("r") or index + 1)
                if not 1 <= index <= base.EXCEL_ROWS:
                    raise base.Unreadable(base.TOO_BIG)
                rows += max(0, index - last_row)
                last_row = max(last_row, index)
                column = 0
                for c in row.iterfind(f"{_S}c"):
                    scanned += 1
                    column = _column_of(c.get("r")) or column + 1
                    if not 1 <= column <= base.EXCEL_COLUMNS:
                        raise base.Unreadable(base.TOO_BIG)
                    text = value_of(c)
                    if text is not None and text.strip():
                        cells += 1
                        if cells > base.MAX_CELLS:
                            raise base.Unreadable(f"单元格过多，无法自动读取，{base.MANUAL}")
                        where = f"工作表“{title}”{hidden} {get_column_letter(column)}{index}"
                        out.add(where, text)
                if rows > base.MAX_ROWS or scanned > base.MAX_SCANNED_CELLS:
                    raise base.Unreadable(base.TOO_BIG)


_COLUMN = re.compile(r"([A-Z]{1,3})\d*")


def _column_of(reference: str | None) -> int:
    """B7 → 2; 0 when there is no reference."""
    match = _COLUMN.match(reference or "")
    if not match:
        return 0
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - 64
    return number
