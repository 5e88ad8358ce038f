"""Writing what users typed into the files the office opens (.xlsx, .csv, .docx), so that old
rows cannot break a file and no text becomes a formula.

- Every text is cleaned by the app's one rule (``core.text.clean``): a control character that
  was stored before the rule existed would make python-docx and openpyxl refuse the whole file.
- A text that a spreadsheet would run as a formula (a leading ``=``, ``+``, ``-``, ``@``, tab or
  carriage return: OWASP's CSV-injection guidance) stays text: in a CSV it gets a leading
  apostrophe; in an .xlsx its cell is written as a string (never a formula) and marked
  quote-prefixed, so that editing the cell in Excel does not turn it into one either.
"""

from __future__ import annotations

from approval.core.text import clean

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text(value) -> str:
    """A value as the text a document shows: cleaned; None is empty."""
    return "" if value is None else clean(str(value))


def csv_cell(value) -> str:
    shown = text(value)
    return "'" + shown if shown.startswith(FORMULA_STARTS) else shown


def append_row(sheet, values) -> None:
    """``sheet.append(values)`` with every text cleaned and written as text."""
    sheet.append([text(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # openpyxl made a leading "=" a formula: it is not one
            if cell.value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True
