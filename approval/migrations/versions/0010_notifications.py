"""Notifications (the bell) with their e-mail outbox, and an e-mail address per user.

- notifications: one row per person and event; (user_id, event_key) unique, so an event never
  notifies a person twice; indexes for the bell's unread count, the list (newest first) and the
  outbox (a partial index over the rows still to be e-mailed).
- users.email: optional; without it nobody is e-mailed. Added with ALTER TABLE ... ADD COLUMN
  (no table rebuild, which would drop triggers).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("email", sa.String(length=254), nullable=True))
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("event_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("mail_pending", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("mail_claimed_at", sa.DateTime(), nullable=True),
        sa.Column("mail_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("mail_error", sa.String(length=500), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_notifications_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_notifications_item_id_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "user_id", "event_key", name=op.f("uq_notifications_user_id_event_key")
        ),
    )
    op.create_index("ix_notifications_user_unread", "notifications", ["user_id", "read_at", "id"])
    op.create_index("ix_notifications_user_list", "notifications", ["user_id", "id"])
    op.create_index(
        "ix_notifications_mail_pending",
        "notifications",
        ["id"],
        sqlite_where=sa.text("mail_pending = 1"),
        postgresql_where=sa.text("mail_pending"),
    )


def downgrade():
    op.drop_index("ix_notifications_mail_pending", table_name="notifications")
    op.drop_index("ix_notifications_user_list", table_name="notifications")
    op.drop_index("ix_notifications_user_unread", table_name="notifications")
    op.drop_table("notifications")
    # plain ALTER (SQLite >= 3.35, PostgreSQL): a batch rebuild would drop triggers
    op.execute("ALTER TABLE users DROP COLUMN email")
