"""从Word导入正文: a .docx chosen on the draft form becomes the form's 正文 (docs/rich-text.md).

The officer presses 导入 on the new-item or edit form; the form comes back with everything typed
kept and the document's 正文 in the editor, to check and then save (nothing is written by the
import itself: the save that follows is the audited edit). The file is untrusted: it is checked
here (a .docx by name and by content, not over the attachments' size limit), then converted by
``platform.extraction.docx_html`` in the extraction's child process, under its CPU, memory and
time limits, with no transaction open (the route ends its read first).
"""

from __future__ import annotations

from flask import current_app, request

from approval.core import rich_text
from approval.core.errors import InvalidInput
from approval.core.msgids import N_, translate
from approval.extensions import db
from approval.platform import extraction, storage

BUTTON = "import_docx"  # the name of the form's 导入 button

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 (.doc), WPS (.wps), and others


def requested() -> bool:
    return request.method == "POST" and BUTTON in request.form


def _size(upload) -> int:
    stream = upload.stream
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def check(upload) -> None:
    """A .docx by its name and its first bytes, within the attachments' size limit."""
    if upload is None or not upload.filename:
        raise InvalidInput("请选择要导入的 Word 文档（.docx）", "body_docx")
    name = upload.filename.lower()
    head = upload.stream.read(8)
    upload.stream.seek(0)
    if name.endswith((".doc", ".wps")) or head == _OLE:
        raise InvalidInput(
            "不能导入 Word 97-2003（.doc）或 WPS（.wps）格式，请在 Word 或 WPS 中“另存为”.docx 格式后再导入",
            "body_docx",
        )
    if not name.endswith(".docx") or not head.startswith(_ZIP):
        raise InvalidInput("只能导入 Word 文档（.docx）", "body_docx")
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    if _size(upload) > limit:
        raise InvalidInput(
            "文件超过 %(size)s，不能导入正文", "body_docx", size=storage.human_size(limit)
        )


def import_into(form) -> bool:
    """Fill the form's 正文 from the chosen .docx; False with the reason on the form's import
    field. Ends the request's read transaction before the file is converted."""
    upload = form.body_docx.data
    try:
        check(upload)
    except InvalidInput as exc:
        form.body_docx.errors = [exc.message]
        return False
    db.session.commit()  # end the read: nothing is held while the file is converted
    converted = extraction.docx_html(upload)
    if converted.reason:
        form.body_docx.errors = [translate(converted.reason)]  # marked where it is made
        return False
    try:
        html = rich_text.from_input(converted.html)
    except InvalidInput as exc:
        form.body_docx.errors = [exc.message]
        return False
    if html is None:
        form.body_docx.errors = [translate(N_("该 Word 文档中没有可导入的正文内容"))]
        return False
    form.body_html.data, form.body.data, form.body_editor.data = html, rich_text.text_of(html), ""
    return True
