"""政务公开审批 — approval and publication of government information."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Flask is imported by create_app: the attachment reader's child needs none
    from flask import Flask

PACKAGE = Path(__file__).parent
MIGRATIONS = str(PACKAGE / "migrations")


def web_folder(name: str) -> str:
    """``templates`` or ``static``: at the top of the repository in the source tree (and so in an
    editable install); a wheel ships them inside the package (pyproject.toml, force-include)."""
    shipped = PACKAGE / name
    return str(shipped if shipped.is_dir() else PACKAGE.parent / name)


def create_app(test_config: dict | None = None) -> Flask:
    from flask import Flask

    instance_path = os.environ.get("APPROVAL_INSTANCE_PATH")
    if test_config and test_config.get("INSTANCE_PATH"):
        instance_path = test_config["INSTANCE_PATH"]
    app = Flask(
        __name__,
        instance_path=instance_path and os.path.abspath(instance_path),
        instance_relative_config=True,
        template_folder=web_folder("templates"),
        static_folder=web_folder("static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    for step in (
        configure_settings,
        configure_database,
        configure_login,
        configure_i18n,
        configure_security,
        configure_events,
        configure_blueprints,
        configure_ratelimit,
        configure_errors,
        configure_templates,
        configure_cli,
    ):
        step(app, test_config)
    return app


def configure_settings(app, test_config):
    from approval.audit.retention import retention_days
    from approval.config import load_config

    load_config(app, test_config)
    retention_days(app.config)  # a retention below 180 days stops the start-up


def configure_database(app, _):
    from approval.extensions import db, migrate
    from approval.platform import settings_cache
    from approval.platform.db_setup import install_postgres_reads, install_sqlite_pragmas

    db.init_app(app)
    settings_cache.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    with app.app_context():
        install_sqlite_pragmas(db.engine)
        install_postgres_reads(app, db)


def configure_login(app, _):
    from approval.accounts.session import init_login

    init_login(app)


def configure_i18n(app, _):
    from approval.platform.i18n import init_i18n

    init_i18n(app)


def configure_security(app, _):
    from approval.platform.security_headers import init_security

    init_security(app)


def configure_events(app, _):
    """The capabilities that hang on the chain subscribe to its signals (publication/events.py)."""
    from approval import search
    from approval.notifications import operations as notifications
    from approval.requests import replies
    from approval.screening import operations as screening

    for capability in (screening, search, notifications, replies):
        capability.subscribe()


def configure_blueprints(app, _):
    from approval.platform.routing import IdConverter

    app.url_map.converters["id"] = IdConverter
    from approval.accounts import auth_routes, grants_routes, users_routes
    from approval.annual_reports import routes as annual_reports_routes
    from approval.api import routes as api_routes
    from approval.audit import routes as audit_routes
    from approval.calendar import routes as calendar_routes
    from approval.deadlines import routes as deadlines_routes
    from approval.delegations import routes as delegations_routes
    from approval.interaction import portal_routes as interaction_portal_routes
    from approval.interaction import routes as interaction_routes
    from approval.notices import routes as notices_routes
    from approval.notifications import routes as notifications_routes
    from approval.opinions import routes as opinions_routes
    from approval.portal import feeds_routes, identity_routes, office_routes
    from approval.portal import routes as portal_routes
    from approval.publication import (
        amendment_routes,
        drafts_routes,
        finished_routes,
        interpretation_routes,
        review_routes,
        secrecy_form_routes,
    )
    from approval.requests import portal_routes as requests_portal_routes
    from approval.requests import routes as requests_routes
    from approval.screening import routes as screening_routes
    from approval.search import routes as search_routes
    from approval.statistics import routes as statistics_routes

    for module in (
        auth_routes,
        drafts_routes,
        review_routes,
        finished_routes,
        interpretation_routes,
        amendment_routes,
        secrecy_form_routes,
        portal_routes,
        search_routes,
        office_routes,
        identity_routes,
        feeds_routes,
        api_routes,
        audit_routes,
        screening_routes,
        users_routes,
        grants_routes,
        calendar_routes,
        notifications_routes,
        statistics_routes,
        annual_reports_routes,
        deadlines_routes,
        delegations_routes,
        requests_routes,
        requests_portal_routes,
        opinions_routes,
        interaction_routes,
        interaction_portal_routes,
        notices_routes,
    ):
        app.register_blueprint(module.bp)
    # browsers ask for /favicon.ico whatever a page links: the icon in static/
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))


def configure_ratelimit(app, _):
    from approval.platform.ratelimit import init_ratelimit

    init_ratelimit(app)  # wraps views, so after the blueprints


def configure_errors(app, _):
    from approval.platform.error_pages import init_errors

    init_errors(app)


def configure_templates(app, _):
    from approval.platform.template_helpers import init_template_helpers

    init_template_helpers(app)


def configure_cli(app, _):
    from approval.cli import init_cli

    init_cli(app)
