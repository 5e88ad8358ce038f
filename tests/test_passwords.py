"""The password policy: each rule with its own message, wherever a password is chosen (the
change-password page, ``flask create-user``), and how passwords are stored."""

import pytest
from argon2 import Type, extract_parameters
from sqlalchemy import select

from approval.core import passwords
from approval.demo import DEMO_PASSWORD
from approval.extensions import db
from approval.models import User
from tests.helpers.pages import heading

GOOD = "Lantern-Quiet-42"


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab1!wxyz", passwords.TOO_SHORT),  # 8 characters, all four classes
        ("lanternquietmeadow", passwords.TOO_FEW_CLASSES),  # lower case only
        ("LANTERN-QUIET-MEADOW", passwords.TOO_FEW_CLASSES),  # two classes
        ("1qaz@WSX3edc", passwords.TOO_COMMON),  # in the list, ignoring case
        ("Password@2026", passwords.TOO_COMMON),  # a listed word with digits and symbols around it
        ("2026!!Sunshine", passwords.TOO_COMMON),
        (DEMO_PASSWORD, passwords.TOO_COMMON),  # the documented demo password
        ("Q3!ZhangSan-Spring", passwords.CONTAINS_USERNAME),  # "zhangsan", any case
    ],
)
def test_each_rule_has_its_own_message(password, message):
    assert passwords.problems(password, "zhangsan") == [message]


def test_a_password_breaking_several_rules_gets_every_message():
    assert passwords.problems("zhangsan", "zhangsan") == [
        passwords.TOO_SHORT,
        passwords.TOO_FEW_CLASSES,
        passwords.CONTAINS_USERNAME,
    ]


@pytest.mark.parametrize(
    "password", [GOOD, "Spring#Harvest7x", "春眠不觉晓Spring2026", "password-is-not-enough-Q"]
)
def test_good_passwords_pass(password):
    """Three classes of four (a 汉字 counts as a symbol); a common word inside a longer
    phrase is fine, only a common password with mere digits and symbols around it is not."""
    assert passwords.problems(password, "zhangsan") == []


def test_the_common_password_list_ships_with_the_package():
    common = passwords.common_passwords()
    assert 5000 < len(common) < 20000
    assert {"password", "woaini", "1qaz2wsx3edc", "admin@123456"} <= common


def _change_page(browser):
    page = browser.get("/account/password")
    assert page.status_code == 200 and heading(page.text) == "修改密码"
    for label in ("当前密码", "新密码", "再次输入新密码"):
        assert f">{label}</label>" in page.text, label
    return page


def test_the_change_page_gives_each_problem_under_its_field(world, login_as):
    officer = login_as("officer")
    _change_page(officer)
    page = officer.post(
        "/account/password",
        {
            "current_password": "not-my-password",
            "new_password": "short",
            "repeat_password": "different",
        },
        token_from="/account/password",
    )
    assert page.status_code == 422
    for message in (
        "当前密码不正确",
        "密码至少需要 12 个字符",
        "密码须包含大写字母、小写字母、数字、符号中的至少 3 类",
        "两次输入的新密码不一致",
    ):
        assert message in page.text
    assert 'value="short"' not in page.text and 'value="not-my-password"' not in page.text
    common = officer.post(
        "/account/password",
        {
            "current_password": world.password,
            "new_password": "Password@2026",
            "repeat_password": "Password@2026",
        },
        token_from="/account/password",
    )
    assert "该密码过于常见" in common.text
    named = world.users["officer"].username.upper() + "-x9"
    own_name = officer.post(
        "/account/password",
        {"current_password": world.password, "new_password": named, "repeat_password": named},
        token_from="/account/password",
    )
    assert "密码不能包含用户名" in own_name.text
    same = officer.post(
        "/account/password",
        {
            "current_password": world.password,
            "new_password": world.password,
            "repeat_password": world.password,
        },
        token_from="/account/password",
    )
    assert "新密码不能与当前密码相同" in same.text


def test_every_password_field_is_required_with_a_message(world, login_as):
    officer = login_as("officer")
    page = officer.post("/account/password", {}, token_from="/account/password")
    assert page.status_code == 422
    for message in ("请输入当前密码", "请输入新密码", "请再次输入新密码"):
        assert message in page.text


def test_a_refused_change_changes_nothing(world, login_as):
    officer = login_as("officer")
    before = world.users["officer"].password_hash
    officer.post(
        "/account/password",
        {"current_password": "wrong", "new_password": GOOD, "repeat_password": GOOD},
        token_from="/account/password",
    )
    db.session.expire_all()
    assert world.users["officer"].password_hash == before


def test_stored_hashes_are_argon2id_above_the_owasp_minimum(world, login_as):
    """OWASP / ASVS: argon2id with at least 19 MiB of memory and 2 iterations."""
    officer = login_as("officer")
    officer.post(
        "/account/password",
        {"current_password": world.password, "new_password": GOOD, "repeat_password": GOOD},
        token_from="/account/password",
    )
    db.session.expire_all()
    stored = world.users["officer"].password_hash
    assert stored != world.password and GOOD not in stored
    params = extract_parameters(stored)
    assert params.type is Type.ID
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2
    assert params.salt_len >= 16 and params.hash_len >= 32


def test_create_user_refuses_a_weak_password_with_the_reasons(world, runner):
    result = runner.invoke(
        args=[
            "create-user",
            "li_si",
            "--name",
            "李四",
            "--department",
            "民政办",
            "--role",
            "officer",
            "--password",
            "li_si2026",
        ]
    )
    assert result.exit_code != 0
    assert "密码至少需要 12 个字符" in result.output and "密码不能包含用户名" in result.output
    assert db.session.scalar(select(User).where(User.username == "li_si")) is None
