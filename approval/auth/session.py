"""Flask-Login wiring: who the current user is."""
from ..extensions import db, login_manager
from ..i18n import N_
from ..models import User


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("请先登录")
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        return db.session.get(User, int(user_id))
