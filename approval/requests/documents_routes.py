"""A request's documents (文书): the printable page and the .docx of each, for those who may see
the request (404 otherwise, and for a document that does not exist yet). Every read is audited
as the request's page is (``audited_read``: the GET commits its entry). Registered on the
register's blueprint (imported at the end of ``routes.py``)."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, render_template
from flask_login import current_user

from approval.calendar import current as working_calendar
from approval.core import clock
from approval.extensions import db
from approval.permissions import requests as may
from approval.platform.access import requires
from approval.platform.db_setup import audited_read
from approval.platform.urls import external_url
from approval.requests import deliveries, documents
from approval.requests import documents_docx as docx
from approval.requests.routes import bp, request_or_404

KIND = "any(correction, extension, third_party, reply)"


@bp.app_template_global()
def request_documents(info_request) -> list[documents.Available]:
    """The documents that exist for the request (its page's 文书 section)."""
    return documents.available(info_request)


def portal_url(item_id: int) -> str:
    return external_url("portal.item", item_id=item_id)


def _document(request_id: int, kind: str, pause_id: int | None):
    """The request (404 if not visible), its document and the document's letter (404 if it
    does not exist yet)."""
    info_request = request_or_404(request_id)
    notice = documents.document_of(
        info_request,
        kind,
        pause_id=pause_id,
        today=clock.local_today(),
        calendar=working_calendar.current_calendar(),
        portal_url=portal_url,
    )
    if notice is None:
        abort(404)
    return info_request, notice, notice.letter()


def _read(info_request, letter, form: str) -> None:
    deliveries.record_read(
        current_user,
        info_request,
        document=letter.kind,
        pause_id=letter.pause_id,
        format=form,
    )
    db.session.commit()


@bp.route(f"/requests/<id:request_id>/documents/<{KIND}:kind>")
@bp.route(f"/requests/<id:request_id>/documents/<{KIND}:kind>/<id:pause_id>")
@audited_read
@requires(may.can_open_register)
def document(request_id, kind, pause_id=None):
    info_request, notice, letter = _document(request_id, kind, pause_id)
    page = render_template(
        f"requests/documents/{kind}.html", r=info_request, notice=notice, letter=letter
    )
    _read(info_request, letter, "page")
    return page


@bp.route(f"/requests/<id:request_id>/documents/<{KIND}:kind>.docx")
@bp.route(f"/requests/<id:request_id>/documents/<{KIND}:kind>/<id:pause_id>.docx")
@audited_read
@requires(may.can_open_register)
def document_docx(request_id, kind, pause_id=None):
    info_request, _, letter = _document(request_id, kind, pause_id)
    data = docx.build(letter)
    _read(info_request, letter, "docx")
    disposition = (
        f'attachment; filename="{letter.ascii_filename}"; '
        f"filename*=UTF-8''{quote(letter.filename, safe='')}"
    )
    return Response(data, mimetype=docx.MIMETYPE, headers={"Content-Disposition": disposition})
