"""Building test data through the real models and services."""

from __future__ import annotations

from datetime import date, timedelta

from approval.core.vocab import SECRECY_QUESTIONS
from approval.core.workflow import Action
from approval.extensions import db
from approval.models import Body, Category, ChainStep, Department, Item, User
from approval.publication import drafts, transitions
from approval.publication.transitions import ActionInput

PASSWORD = "Test-Password-2026"
CLEAR_CHECKLIST = {q: False for q in SECRECY_QUESTIONS}


def content(**overrides) -> dict:
    data = {
        "title": "关于2026年度最低生活保障标准的公告",
        "summary": "公布调整后的低保标准",
        "body": "经县人民政府同意，自2026年1月1日起城乡低保标准调整为每人每月900元。",
        "category_id": None,
        "info_type": "public_notice",
        "document_number": "",
        "formed_on": date.today() - timedelta(days=2),
        "disclosure_mode": "proactive",
        "non_disclosure_basis": None,
        "channels": "website",
        "keywords": "低保 标准",
    }
    data.update(overrides)
    return data


_PASSWORD_HASH: list[str] = []


def _with_password(user: User) -> User:
    """argon2id is slow on purpose; hash the shared test password once per test session."""
    if not _PASSWORD_HASH:
        user.set_password(PASSWORD)
        _PASSWORD_HASH.append(user.password_hash)
    user.password_hash = _PASSWORD_HASH[0]
    return user


class World:
    """One body, three departments and a user per role; `users` maps short names to users."""

    def __init__(self, body, departments, users, category):
        self.body, self.departments, self.users, self.category = body, departments, users, category
        self.password = PASSWORD

    @classmethod
    def build(cls, credit_code: str = "11000000MB0000001D") -> World:
        body = Body(name="测试镇人民政府", credit_code=credit_code)
        db.session.add(body)
        depts = {
            "office": Department(body=body, name="党政办公室", is_general_office=True, position=0),
            "civil": Department(body=body, name="民政办", position=1),
            "agri": Department(body=body, name="农业农村办", position=2),
        }
        db.session.add_all(depts.values())
        category = Category(body=body, code="06", name="通知公告")
        db.session.add(category)
        specs = {  # name: (department, roles, led departments)
            "officer": ("civil", ["officer"], []),
            "officer_b": ("civil", ["officer"], []),
            "officer_agri": ("agri", ["officer"], []),
            "leader": ("office", ["leader"], ["civil"]),
            "leader_agri": ("office", ["leader"], ["agri"]),
            "office_head": ("office", ["leader"], ["office"]),  # 办公室分管负责人
            "office": ("office", ["office_auditor"], []),
            "secrecy": ("office", ["secrecy_reviewer"], []),
            "publisher": ("office", ["publisher"], []),
            "office_and_secrecy": ("office", ["office_auditor", "secrecy_reviewer"], []),
            "sysadmin": ("office", ["sysadmin"], []),
            "auditor": ("office", ["audit_admin"], []),
            "secadmin": ("office", ["security_admin"], []),
        }
        users = {}
        for name, (dept, roles, led) in specs.items():
            user = User(
                username=f"{name}_{credit_code[-4:]}",
                display_name=f"用户{name}",
                body=body,
                department=depts[dept],
            )
            _with_password(user)
            user.set_roles(roles)
            user.led_departments = [depts[d] for d in led]
            users[name] = user
        db.session.add_all(users.values())
        db.session.commit()
        return cls(body, depts, users, category)

    def item(self, author: str = "officer", **overrides) -> Item:
        author_user = self.users[author]
        item = drafts.create_item(
            author_user,
            author_user.department_id,
            content(**{"category_id": self.category.id, **overrides}),
        )
        db.session.commit()
        return item

    def act(self, who: str, item: Item, action: Action | str, **given) -> Item:
        transitions.perform(self.users[who], item, action, item.version, ActionInput(**given))
        db.session.commit()
        return item

    def to_state(self, item: Item, target: str, override_reason: str = "") -> Item:
        """Walk an item of the civil department along the default chain up to ``target``.
        ``override_reason``: the secrecy reviewer's reason to sign off despite findings."""
        path = [
            ("officer", Action.SUBMIT, {}),
            ("leader", Action.APPROVE, {}),
            ("office", Action.APPROVE, {}),
            (
                "secrecy",
                Action.SIGN_OFF,
                {
                    "checklist": dict(CLEAR_CHECKLIST),
                    "opinion": "同意公开",
                    "override_reason": override_reason,
                },
            ),
            ("publisher", Action.PUBLISH, {}),
        ]
        for who, action, given in path:
            if item.state == target:
                return item
            self.act(who, item, action, **given)
        assert item.state == target, item.state
        return item

    def add_step(self, key: str, name: str, role: str, position: int, scope: str = "body") -> None:
        """Configure the body's chain as rows (what an admin would do), inserting one step."""
        from approval.core.workflow import DEFAULT_STEPS

        steps = list(DEFAULT_STEPS)
        from approval.core.workflow import Scope, Step, StepKind

        steps.insert(position, Step(key, name, role, StepKind.APPROVE, Scope(scope)))
        for i, s in enumerate(steps):
            db.session.add(
                ChainStep(
                    body_id=self.body.id,
                    position=i,
                    key=s.key,
                    name=s.name,
                    role=s.role,
                    kind=s.kind.value,
                    scope=s.scope.value,
                )
            )
        db.session.commit()
