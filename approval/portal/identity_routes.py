"""The portal's site identity (issue 24): the office's settings page for the footer's 主办单位,
网站标识码, 备案号 and contact details; the footer itself (a template global); and the printable
公开栏 notice of a published item, with a QR code of its portal address made here (segno)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.core.errors import Conflict, InvalidInput
from approval.core.workflow import PUBLISHED
from approval.extensions import db
from approval.platform import kept_forms
from approval.platform.access import requires
from approval.platform.urls import external_url
from approval.portal import public, site_identity
from approval.portal.notice import qr_svg_data_uri
from approval.portal.site_forms import SiteIdentityForm

bp = Blueprint("site", __name__)


@bp.app_template_global()
def site_footer(body):
    """The footer of a body's portal pages (None outside a body's portal)."""
    return site_identity.footer(body) if body is not None else None


@bp.route("/office/site", methods=["GET", "POST"])
@requires(permissions.can_manage_portal)
def settings():
    body_id = current_user.body_id
    row = site_identity.of_body(body_id)
    kept = kept_forms.formdata(current_user)  # typed before a session timed out
    form = SiteIdentityForm(**kept)
    status, conflict = 200, None
    if request.method == "GET" and not kept:
        for name in SiteIdentityForm.FIELDS:
            getattr(form, name).data = getattr(row, name) if row is not None else ""
        form.version.data = site_identity.version_of(row)
    elif request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                changes = site_identity.save(
                    current_user, body_id, form.values(), form.version.data
                )
            except Conflict as exc:
                db.session.rollback()
                status, conflict = exc.status, exc.message
                row = site_identity.of_body(body_id)
                form.version.data = site_identity.version_of(row)  # saving again is deliberate
            except InvalidInput as exc:
                db.session.rollback()
                getattr(form, exc.field or "sponsor").errors.append(exc.message)
            else:
                db.session.commit()
                flash(
                    gettext("网站标识和联系方式已保存")
                    if changes
                    else gettext("网站标识和联系方式没有变化"),
                    "success" if changes else "info",
                )
                return redirect(url_for("site.settings"), 303)
    return render_template(
        "portal/office_site.html",
        form=form,
        row=row,
        conflict=conflict,
        body=current_user.body,
    ), status


@bp.route("/public/items/<id:item_id>/notice")
def notice(item_id):
    """The 公开栏 notice of a published item: an A4 page to print and post on the board."""
    item = public.public_item(item_id)
    if item is None or item.state != PUBLISHED:
        abort(404)
    address = external_url("portal.item", item_id=item.id)
    return render_template(
        "portal/notice.html",
        item=item,
        body=item.department.body,
        revision=item.published_revision,
        address=address,
        qr=qr_svg_data_uri(address),
    )
