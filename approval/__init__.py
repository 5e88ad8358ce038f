"""政务公开审批 — approval and publication of government information."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

MIGRATIONS = str(Path(__file__).parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = os.environ.get("APPROVAL_INSTANCE_PATH")
    if test_config and test_config.get("INSTANCE_PATH"):
        instance_path = test_config["INSTANCE_PATH"]
    app = Flask(__name__, instance_path=instance_path and os.path.abspath(instance_path),
                instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    for step in (configure_settings, configure_database, configure_login, configure_i18n,
                 configure_security, configure_blueprints, configure_ratelimit, configure_errors,
                 configure_templates, configure_cli):
        step(app, test_config)
    return app


def configure_settings(app, test_config):
    from .config import load_config
    from .services.audit_retention import retention_days
    load_config(app, test_config)
    retention_days(app.config)  # a retention below 180 days stops the start-up


def configure_database(app, _):
    from .extensions import db, migrate
    from .db_setup import install_postgres_reads, install_sqlite_pragmas
    from . import settings_cache
    db.init_app(app)
    settings_cache.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS)
    with app.app_context():
        install_sqlite_pragmas(db.engine)
        install_postgres_reads(app, db)


def configure_login(app, _):
    from .auth.session import init_login
    init_login(app)


def configure_i18n(app, _):
    from .i18n import init_i18n
    init_i18n(app)


def configure_security(app, _):
    from .security import init_security
    init_security(app)


def configure_blueprints(app, _):
    from .routing import IdConverter
    app.url_map.converters["id"] = IdConverter
    from .admin.routes import bp as admin_bp
    from .api.routes import bp as api_bp
    from .auth.routes import bp as auth_bp
    from .deadlines.routes import bp as deadlines_bp
    from .delegations.routes import bp as delegations_bp
    from .drafts.routes import bp as drafts_bp
    from .feeds.routes import bp as feeds_bp
    from .office.routes import bp as office_bp
    from .portal.routes import bp as portal_bp
    from .review.routes import bp as review_bp
    from .secrecy_form.routes import bp as secrecy_form_bp
    from .statistics.routes import bp as statistics_bp
    from .notifications.routes import bp as notifications_bp
    for blueprint in (auth_bp, drafts_bp, review_bp, portal_bp, admin_bp, secrecy_form_bp,
                      office_bp, feeds_bp, api_bp, notifications_bp, statistics_bp, deadlines_bp,
                      delegations_bp):
        app.register_blueprint(blueprint)


def configure_ratelimit(app, _):
    from .ratelimit import init_ratelimit
    init_ratelimit(app)  # wraps views, so after the blueprints


def configure_errors(app, _):
    from .errors import init_errors
    init_errors(app)


def configure_templates(app, _):
    from .template_helpers import init_template_helpers
    init_template_helpers(app)


def configure_cli(app, _):
    from .cli import init_cli
    init_cli(app)
