"""Accounts: password age, first-login change, lockout after failed logins.

- users.password_changed_at: when the password was last set (expiry, PASSWORD_MAX_AGE_DAYS);
  existing accounts start counting at this upgrade.
- users.must_change_password: the next login must choose a new password first (accounts made by
  an administrator); false for existing accounts.
- users.locked_until: set when too many logins failed.
- login_failures: the recent failed logins of each account (those that may still count).
Columns are added with ALTER TABLE ... ADD COLUMN (no table rebuild, which would drop triggers).

Revision ID: 0006
Revises: 0005
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("password_changed_at", sa.DateTime(), nullable=True))
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("users", sa.Column("locked_until", sa.DateTime(), nullable=True))
    users = sa.table("users", sa.column("password_changed_at", sa.DateTime))
    op.get_bind().execute(
        users.update().values(password_changed_at=datetime.now(UTC).replace(tzinfo=None))
    )

    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_login_failures_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index(
        "ix_login_failures_user_id_failed_at", "login_failures", ["user_id", "failed_at"]
    )


def downgrade():
    op.drop_index("ix_login_failures_user_id_failed_at", table_name="login_failures")
    op.drop_table("login_failures")
    # plain ALTER (SQLite >= 3.35, PostgreSQL): a batch rebuild would drop triggers
    op.execute("ALTER TABLE users DROP COLUMN locked_until")
    op.execute("ALTER TABLE users DROP COLUMN must_change_password")
    op.execute("ALTER TABLE users DROP COLUMN password_changed_at")
