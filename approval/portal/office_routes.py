"""Catalog (主题分类) administration and the 信息公开指南/制度 pages, for the general office.

Every route first asks ``permissions.can_manage_portal`` (403 for anyone else), then loads the
category of the user's own body (404 for another body's or a missing one), then calls one service
of ``portal.catalog``, commits once, flashes and redirects. A refused form is shown again with
what the user typed: 400 for bad input, 409 for a code already taken, a category still in use or
a page saved by someone else meanwhile.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from approval import permissions
from approval.core.errors import Conflict, InvalidInput
from approval.extensions import db
from approval.models import PAGE_TITLES, Category
from approval.platform import kept_forms
from approval.platform.access import requires
from approval.portal import catalog
from approval.portal.office_forms import CategoryForm, PageForm, parent_choices
from approval.publication import categories

bp = Blueprint("office", __name__, url_prefix="/office")


def _category_or_404(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None or category.body_id != current_user.body_id:
        abort(404)
    return category


def _show_error(form, exc, default_field: str) -> int:
    """Put a service's refusal at the field it concerns; returns the status to answer with."""
    db.session.rollback()
    field = getattr(form, getattr(exc, "field", None) or default_field, None)
    (field if field is not None else form[default_field]).errors.append(exc.message)
    return exc.status


def _catalog_page(add_form=None, error: str | None = None, status: int = 200):
    body_id = current_user.body_id
    tree = categories.category_tree(body_id)
    form = add_form or CategoryForm(formdata=None)
    form.parent_id.choices = parent_choices(categories.rows(body_id, tree))
    return render_template(
        "portal/office_catalog.html",
        tree=tree,
        usage=catalog.usage(body_id),
        pages=catalog.pages(body_id),
        page_titles=PAGE_TITLES,
        add_form=form,
        error=error,
    ), status


@bp.route("/")
@requires(permissions.can_manage_portal)
def hub():
    return redirect(url_for("office.catalog"))


# ------------------------------------------------------------------ the catalog tree


@bp.route("/catalog", endpoint="catalog")
@requires(permissions.can_manage_portal)
def catalog_page():
    return _catalog_page()


@bp.route("/catalog", methods=["POST"])
@requires(permissions.can_manage_portal)
def create_category():
    form = CategoryForm()
    form.parent_id.choices = parent_choices(categories.rows(current_user.body_id))
    status = 400
    if form.validate_on_submit():
        try:
            category = catalog.create_category(
                current_user,
                current_user.body_id,
                code=form.code.data,
                name=form.name.data,
                parent_id=form.parent_id.data,
            )
        except (InvalidInput, Conflict) as exc:
            status = _show_error(form, exc, "code")
        else:
            db.session.commit()
            flash(
                gettext("已新建分类：%(code)s %(name)s", code=category.code, name=category.name),
                "success",
            )
            return redirect(url_for("office.catalog", _anchor=f"category-{category.id}"), 303)
    return _catalog_page(add_form=form, status=status)


@bp.route("/catalog/<id:category_id>/edit", methods=["GET", "POST"])
@requires(permissions.can_manage_portal)
def edit_category(category_id):
    category = _category_or_404(category_id)
    rows = categories.rows(current_user.body_id)
    form = CategoryForm(obj=category)
    form.parent_id.choices = parent_choices(rows, catalog.subtree(rows, category.id))
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                changed = catalog.update_category(
                    current_user,
                    category.id,
                    code=form.code.data,
                    name=form.name.data,
                    parent_id=form.parent_id.data,
                )
            except (InvalidInput, Conflict) as exc:
                status = _show_error(form, exc, "code")
            else:
                db.session.commit()
                flash(
                    gettext("已保存分类：%(code)s %(name)s", code=category.code, name=category.name)
                    if changed
                    else gettext("分类没有变化"),
                    "success" if changed else "info",
                )
                return redirect(url_for("office.catalog", _anchor=f"category-{category.id}"), 303)
    return render_template("portal/office_category_form.html", form=form, category=category), status


@bp.route("/catalog/<id:category_id>/move", methods=["POST"])
@requires(permissions.can_manage_portal)
def move_category(category_id):
    _category_or_404(category_id)
    moved = catalog.move_category(current_user, category_id, request.form.get("direction", ""))
    db.session.commit()
    flash(
        gettext("已调整分类顺序") if moved else gettext("分类已在最前或最后，顺序没有变化"),
        "success" if moved else "info",
    )
    return redirect(url_for("office.catalog", _anchor=f"category-{category_id}"), 303)


@bp.route("/catalog/<id:category_id>/delete", methods=["POST"])
@requires(permissions.can_manage_portal)
def delete_category(category_id):
    category = _category_or_404(category_id)
    code, name = category.code, category.name
    try:
        catalog.delete_category(current_user, category_id)
    except Conflict as exc:
        db.session.rollback()
        return _catalog_page(error=exc.message, status=exc.status)
    db.session.commit()
    flash(gettext("已删除分类：%(code)s %(name)s", code=code, name=name), "success")
    return redirect(url_for("office.catalog"), 303)


# ------------------------------------------------------------------ the portal pages


@bp.route("/pages/<slug>", methods=["GET", "POST"])
@requires(permissions.can_manage_portal)
def page_edit(slug):
    if slug not in PAGE_TITLES:
        abort(404)
    body_id = current_user.body_id
    page = catalog.pages(body_id)[slug]
    kept = kept_forms.formdata(current_user)  # typed before a session timed out
    form = PageForm(**kept)
    status, conflict = 200, None
    if request.method == "GET" and not kept:
        form.title.data = page.title if page else PAGE_TITLES[slug]  # content, not UI
        form.content.data = page.content if page else ""
        form.seen.data = catalog.page_marker(page)
    else:
        status = 400
        if form.validate_on_submit():
            try:
                page, changed = catalog.save_page(
                    current_user,
                    body_id,
                    slug,
                    title=form.title.data,
                    content=form.content.data,
                    seen=form.seen.data or "new",
                )
            except Conflict as exc:
                db.session.rollback()
                status, conflict = exc.status, exc.message
                page = catalog.pages(body_id)[slug]
                form.seen.data = catalog.page_marker(page)  # saving again is a deliberate choice
            except InvalidInput as exc:
                status = _show_error(form, exc, "content")
            else:
                db.session.commit()
                flash(
                    gettext("已保存“%(title)s”", title=page.title)
                    if changed
                    else gettext("页面内容没有变化"),
                    "success" if changed else "info",
                )
                return redirect(url_for("office.catalog", _anchor="portal-pages"), 303)
    return render_template(
        "portal/office_page_form.html",
        form=form,
        page=page,
        slug=slug,
        default_title=PAGE_TITLES[slug],
        conflict=conflict,
    ), status
