"""The report's tables as an .xlsx for the office (openpyxl), in the style of the statistics'
export: one sheet per table, the format's labels and merged cells (``layout``), figures as
numbers."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from approval.annual_reports import layout
from approval.platform import office_files

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHEETS = (("two", "表二"), ("three", "表三"), ("four", "表四"))


def build(view) -> bytes:
    book = Workbook()
    book.remove(book.active)
    title = layout.TITLE % {"body": view.body_name, "year": view.year}
    for key, name in SHEETS:
        sheet = book.create_sheet(name)
        office_files.append_row(sheet, [layout.SECTIONS[key]])
        sheet["A1"].font = Font(bold=True, size=13)
        _grid(sheet, view.grids[key], first_row=2)
        for i in range(1, view.grids[key].width + 1):
            sheet.column_dimensions[get_column_letter(i)].width = 14
        if key == "three":
            sheet.column_dimensions["C"].width = 40
        if key == "two":
            sheet.column_dimensions["A"].width = 24
    book.properties.title = office_files.text(title)
    book.properties.creator = office_files.text(view.body_name)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _value(cell: layout.Cell):
    if cell.header or not cell.text:
        return cell.text
    return Decimal(cell.text) if "." in cell.text else int(cell.text)


def _grid(sheet, grid: layout.Grid, first_row: int) -> None:
    for r, row in enumerate(grid.rows):
        office_files.append_row(sheet, [_value(c) for c in row])
        for c, cell in enumerate(row):
            target = sheet.cell(row=first_row + r, column=c + 1)
            target.border = BOX
            target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if cell.header:
                target.font = Font(bold=False)
    for r0, c0, r1, c1 in grid.merges:
        sheet.merge_cells(
            start_row=first_row + r0,
            start_column=c0 + 1,
            end_row=first_row + r1,
            end_column=c1 + 1,
        )
