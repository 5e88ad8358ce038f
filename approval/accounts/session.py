"""Flask-Login wiring: who the current user is."""

import secrets

from sqlalchemy.orm import joinedload

from approval.extensions import db, login_manager
from approval.models import Body, User
from approval.platform import settings_cache
from approval.platform.db_setup import PREPARED
from approval.platform.i18n import N_

# One query on every signed-in request: a user has a few roles and led departments, so joining
# both collections costs a few rows, where loading them apart cost two queries. Composed once
# (composing the options on every request cost 0.2 ms).
SIGNED_IN_USER = (
    joinedload(User.role_rows),
    joinedload(User.led_departments),
    joinedload(User.department),  # the nav asks can_manage_portal on every page
    # the session limits and the settings version (platform/settings_cache.py), every request
    joinedload(User.body).joinedload(Body.policy),
)


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("请先登录")
    # "basic": a leader moving from Wi-Fi to 4G keeps their session (and their typed opinion);
    # what ends sessions is the per-user token below, not the client's address
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        """The cookie names ``<user id>:<session token>``; an old token (after a logout on any
        device, a password change, a lock from the change-password page, or an admin disabling
        the account, when that exists) no longer matches, so a copied cookie stops working."""
        user_id, _, token = session_id.partition(":")
        if not user_id.isdigit() or len(user_id) > 12 or not token:
            return None
        user = db.session.get(
            User, int(user_id), options=SIGNED_IN_USER, execution_options=PREPARED
        )  # on every signed-in request
        if (
            user is None
            or not user.session_token
            or not secrets.compare_digest(user.session_token, token)
        ):
            return None
        settings_cache.remember_version(user.body_id, user.body.settings_version)
        return user

    from approval.accounts.gate import check_request

    app.before_request(check_request)  # session time limits, a due password change
