"""The files an office signs and files (issue 27): the 保密审查单 .docx, the monthly 通报 as a 公文
(.docx) and as a workbook (.xlsx). Read back with python-docx and openpyxl: every round, the
signature lines and the seal, the fonts of party and government documents, columns that fit,
numbers that are numbers, the print set-up. Where LibreOffice is installed, each file is
converted to PDF and every page checked: A4 (the 通报's tables in landscape), and each table on
one page with its last column and its last row."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook

from approval.extensions import db
from approval.publication import drafts
from tests.factories import CLEAR_CHECKLIST, content
from tests.helpers.statistics import DASHBOARD

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: the PDF conversion checks run where it is",
)
A4 = (595, 842)  # points, rounded
TYPE_WIDTH = Mm(156)


def _two_rounds(world):
    """Returned once by the leader, then through the whole chain; signed off with an override."""
    body = "经审核，张三（身份证号11010519491231002X）符合低保条件。"
    item = world.item(body=body)
    world.act("officer", item, "submit")
    world.act("leader", item, "return", opinion="请补充依据")
    drafts.update_draft(
        world.users["officer"],
        item,
        content(category_id=world.category.id, title="修改后的标题", body=body),
        item.version,
    )
    db.session.commit()
    world.act("officer", item, "submit")
    world.act("leader", item, "approve", opinion="同意报送")
    world.act("office", item, "approve", opinion="格式规范，同意")
    world.act(
        "secrecy",
        item,
        "sign_off",
        checklist=dict(CLEAR_CHECKLIST),
        opinion="同意公开",
        override_reason="公示期内依法须公开全名，号码已与民政局核对",
    )
    return item


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _table_width(table) -> int:
    return sum(int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol")))


# ---------------------------------------------------------------- the 保密审查单


def test_the_secrecy_form_records_every_round_with_lines_to_sign_and_room_for_the_seal(
    world, login_as
):
    item = _two_rounds(world)
    response = login_as("secrecy").get(f"/items/{item.id}/secrecy-form.docx")
    assert response.status_code == 200
    doc = Document(BytesIO(response.data))
    attributes, decisions, checklist, findings, signatures = doc.tables

    rows = _rows(decisions)
    assert rows[0] == ["环节", "办理人", "操作", "意见", "时间"]
    assert rows[1] == ["第 1 轮 · 第 1 稿 · 已退回修改"] * 5
    assert rows[2][0] == "分管领导审批" and rows[2][2:4] == ["退回", "请补充依据"]
    assert rows[3] == ["第 2 轮 · 第 2 稿 · 保密审查通过"] * 5
    assert [r[2] for r in rows[4:]] == ["同意", "同意", "保密审查通过"]
    assert rows[4][1] == "用户leader\n（分管领导）"

    assert _rows(signatures) == [
        ["环节", "姓名", "签字", "日期"],
        ["撰稿", "用户officer", "", "年　　月　　日"],
        ["分管领导审批", "用户leader", "", "年　　月　　日"],
        ["办公室审核", "用户office", "", "年　　月　　日"],
        ["保密审查", "用户secrecy", "", "年　　月　　日"],
    ]
    assert all(row.height.mm > 11.9 for row in signatures.rows[1:])  # room to sign
    texts = [p.text for p in doc.paragraphs]
    seal = texts.index("测试镇人民政府（盖章）")
    assert texts[seal - 3 : seal] == ["", "", ""]  # room for the seal above the name
    assert texts[seal + 1] == "　　　　年　　月　　日"

    # A4 portrait, GB/T 9704's margins; every table fits the 156 mm type area, in fixed columns
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (28, 26)
    for table in doc.tables:
        assert _table_width(table) <= TYPE_WIDTH.twips + 5
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    # the opinion, the long text, has the widest column; no other column is squeezed
    widths = [int(c.get(qn("w:w"))) for c in decisions._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert max(widths) == widths[3] and min(widths) >= Mm(20).twips


def test_the_secrecy_form_uses_the_fonts_of_government_documents(world, login_as):
    item = world.to_state(world.item(), "approved")
    doc = Document(BytesIO(login_as("officer").get(f"/items/{item.id}/secrecy-form.docx").data))
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert (
        fonts.get(qn("w:eastAsia")) == "仿宋_GB2312" and fonts.get(qn("w:ascii")) == "仿宋_GB2312"
    )
    title = doc.paragraphs[0]
    assert title.text == "政府信息公开保密审查单"
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 22  # 二号
    headings = [p for p in doc.paragraphs if p.text in ("基本信息", "审批意见", "签字")]
    assert {p.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) for p in headings} == {"黑体"}
    # Word (and WPS) take the alternative where the font is missing
    table = next(p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    xml = table.blob.decode()
    for font, alternative in (
        ("仿宋_GB2312", "仿宋"),
        ("方正小标宋简体", "宋体"),
        ("黑体", "黑体"),
    ):
        assert f'w:name="{font}"' in xml and f'w:val="{alternative}"' in xml


def test_the_opinions_are_stacked_on_a_phone(world, login_as):
    """A six-column table at phone width left one character a line: the opinions and findings
    are stacked there, each value under its label (the page's CSS)."""
    item = _two_rounds(world)
    page = login_as("officer").get(f"/items/{item.id}/secrecy-form").text
    assert 'class="sf-table sf-stack" id="sf-decisions"' in page
    assert 'class="sf-table sf-stack" id="sf-findings"' in page
    assert '<td class="sf-text" data-label="意见">请补充依据</td>' in page
    css = Path(__file__).resolve().parents[1].joinpath("static", "app.css").read_text()
    rule = css[css.index("@media screen and (max-width: 719px) {\n  .sf-stack") :]
    assert ".sf-stack td::before { content: attr(data-label)" in rule.split("\n}\n")[0]


# ---------------------------------------------------------------- the 通报 as a 公文


def test_the_notice_is_a_government_document_with_its_number_narrative_and_annexes(
    october, login_as
):
    browser = login_as("office")
    page = browser.get(DASHBOARD + "?period=2026-10").text
    assert 'name="number"' in page and 'id="export-form"' in page
    response = browser.get(DASHBOARD + "export.docx?period=2026-10&number=示政办通〔2026〕12号")
    assert response.status_code == 200
    doc = Document(BytesIO(response.data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "测试镇人民政府"
    assert doc.paragraphs[0].runs[0].font.color.rgb is not None  # the red 发文机关标志
    assert texts[2] == "示政办通〔2026〕12号"
    assert "关于2026年10月政务公开信息报送情况的通报" in texts
    assert "各部门：" in texts
    narrative = "\n".join(texts)
    assert "各部门共报送信息 8 条，录用（发布）4 条，录用率 50.00%" in narrative
    assert "录用（发布）最多的是民政办（3 条）" in narrative
    assert "党政办公室、财政所本期未报送信息" in narrative
    assert "有 2 个栏目超过更新要求未更新：02 政策文件（从未发布）" in narrative
    assert "附件：1.各部门排名" in texts and "7.统计口径说明" in texts
    assert "6.互动回应办理情况" in texts and "四、互动回应办理情况" in texts
    seal = texts.index("2026年11月5日")  # the 落款: the body over the date
    assert texts[seal - 1] == "测试镇人民政府"

    portrait, landscape = doc.sections
    assert portrait.orientation == WD_ORIENT.PORTRAIT and round(portrait.page_width.mm) == 210
    assert landscape.orientation == WD_ORIENT.LANDSCAPE
    assert round(landscape.page_width.mm) == 297
    assert [p.text for p in doc.paragraphs if p.text.startswith("附件") and len(p.text) <= 3] == [
        f"附件{n}" for n in range(1, 8)
    ]
    ranking = doc.tables[0]
    assert _rows(ranking)[-1] == [
        "",
        "合计",
        "8",
        "4",
        "50.00%",
        "4",
        "1",
        "2",
        "310",
        "486",
        "156.77%",
    ]
    assert _table_width(ranking) <= Mm(247).twips + 5
    # numbers right-aligned, names left
    total = ranking.rows[-1].cells
    assert total[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert {c.paragraphs[0].alignment for c in total[2:]} == {WD_ALIGN_PARAGRAPH.RIGHT}
    # the body in 仿宋_GB2312 三号
    normal = doc.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size.pt == 16


def test_without_a_number_the_notice_leaves_it_blank_and_a_long_one_is_refused(october, login_as):
    browser = login_as("office")
    doc = Document(BytesIO(browser.get(DASHBOARD + "export.docx?period=2026-10").data))
    assert doc.paragraphs[2].text == "〔2026〕　号"  # to fill in by hand
    refused = browser.get(DASHBOARD + "export.docx?period=2026-10&number=" + "号" * 41)
    assert refused.status_code == 422
    assert "文号不能超过40个字" in refused.text
    assert "号" * 41 in refused.text  # what was typed is kept


# ---------------------------------------------------------------- the 通报 workbook


def test_the_workbook_prints_on_a4_landscape_with_borders_and_numbers_as_numbers(october, login_as):
    data = login_as("office").get(DASHBOARD + "export.xlsx?period=2026-10").data
    book = load_workbook(BytesIO(data))
    sheet = book["通报"]
    setup = sheet.page_setup
    assert (int(setup.paperSize), setup.orientation) == (9, "landscape")  # A4
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.print_area == "'通报'!$A$1:$K$10"
    for row in sheet.iter_rows(min_row=5, max_row=10, max_col=11):
        for cell in row:
            assert cell.border.left.style == cell.border.bottom.style == "thin"
    for row in sheet.iter_rows(min_row=6, max_row=10, min_col=3, max_col=11):
        for cell in row:  # counts and rates: numbers, or empty
            assert cell.value is None or isinstance(cell.value, (int, float)), cell.coordinate
    assert sheet["E6"].number_format == "0.00%" and sheet["E6"].value == pytest.approx(0.6)
    assert sheet["E8"].value is None  # nothing submitted: no rate, an empty cell
    for detail in book.worksheets[1:]:
        assert int(detail.page_setup.paperSize) == 9 and detail.page_setup.fitToWidth == 1
        assert detail.print_title_rows == "$2:$2"
        assert detail["A2"].border.top.style == "thin"
        assert all(c.value != "—" for row in detail.iter_rows() for c in row)


# ---------------------------------------------------------------- LibreOffice


def _to_pdf(tmp_path: Path, files: dict[str, bytes]) -> dict[str, list]:
    """Each file converted by LibreOffice; {name: [(width, height, text) of every page]}."""
    from pypdf import PdfReader

    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *(str(tmp_path / name) for name in files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pages = {}
    for name in files:
        reader = PdfReader(tmp_path / "pdf" / (Path(name).stem + ".pdf"))
        pages[name] = [
            (round(float(p.mediabox.width)), round(float(p.mediabox.height)), p.extract_text())
            for p in reader.pages
        ]
    return pages


def _flat(text: str) -> str:
    return "".join(text.split())


@needs_libreoffice
def test_libreoffice_prints_the_secrecy_form_on_a4_with_nothing_cut_off(world, login_as, tmp_path):
    item = _two_rounds(world)
    data = login_as("secrecy").get(f"/items/{item.id}/secrecy-form.docx").data
    pages = _to_pdf(tmp_path, {"form.docx": data})["form.docx"]
    assert len(pages) <= 2
    assert all((w, h) == A4 for w, h, _ in pages)
    text = _flat("".join(t for _, _, t in pages))
    for expected in (
        "第1轮·第1稿·已退回修改",
        "请补充依据",
        "第2轮·第2稿·保密审查通过",
        "时间",  # the opinions table's last column
        "同意公开",  # its last row
        "说明",
        "GB11643",  # the findings' last column and row
        "用户secrecy",  # the last signer
        "测试镇人民政府（盖章）",
    ):
        assert expected in text, expected


@needs_libreoffice
def test_libreoffice_prints_the_notice_each_table_on_one_a4_page(october, login_as, tmp_path):
    browser = login_as("office")
    files = {
        "notice.docx": browser.get(
            DASHBOARD + "export.docx?period=2026-10&number=示政办通〔2026〕12号"
        ).data,
        "notice-book.xlsx": browser.get(DASHBOARD + "export.xlsx?period=2026-10").data,
    }
    pdf = _to_pdf(tmp_path, files)

    document = pdf["notice.docx"]
    portrait = [t for w, h, t in document if (w, h) == A4]
    landscape = [t for w, h, t in document if (w, h) == A4[::-1]]
    assert len(portrait) + len(landscape) == len(document)
    assert portrait and "示政办通〔2026〕12号" in _flat(portrait[0])
    # one landscape page per annex: the ranking, five tables (互动回应 the fifth), the definitions
    assert len(landscape) == 7
    ranking = _flat(landscape[0])
    assert ranking.startswith("附件1") and "完成率" in ranking  # the last column's header
    assert "合计8450.00%412310486156.77%" in ranking  # the last row, to its last cell
    assert "请补充附件3" in _flat(landscape[1]) and "格式不规范1" in _flat(landscape[1])
    assert "发布4193.1" in _flat(landscape[2])
    assert "更新要求（天）" in _flat(landscape[3]) and "2026-09-15" in _flat(landscape[3])
    assert "2026-1084" in _flat(landscape[4])
    assert "收到留言" in _flat(landscape[5]) and "满意率" in _flat(landscape[5])

    book = pdf["notice-book.xlsx"]
    width, height, first = book[0]
    assert (width, height) == A4[::-1]  # the 通报 sheet in landscape, on one page
    first = _flat(first)
    assert "完成率" in first and "合计8450.00%412310486156.77%" in first
    assert all((w, h) in (A4, A4[::-1]) for w, h, _ in book)
    assert len(book) == 6  # one page a sheet (互动回应 the sixth)
    assert "—" not in first
