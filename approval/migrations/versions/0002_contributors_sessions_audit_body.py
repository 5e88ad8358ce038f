"""Contributors of an item, per-user session tokens, the body of each audit entry.

- item_contributors: everyone who wrote, changed, attached to, submitted or recalled an item
  (separation of duties counts all of them, not only the creator); filled from the existing
  items' creators and revision authors.
- users.session_token: part of every session cookie; replacing it ends the user's sessions.
- audit_entries.body_id: which body an entry belongs to (the audit admin reads only theirs).
  Added with ALTER TABLE ... ADD COLUMN (no table rebuild), so the audit triggers stay in place;
  existing entries keep NULL and keep verifying (the column is hashed only when set).

Revision ID: 0002
Revises: 0001
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "item_contributors",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_item_contributors_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_item_contributors_user_id_users")
        ),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_item_contributors")),
    )
    op.execute(
        "INSERT INTO item_contributors (item_id, user_id) "
        "SELECT id, author_id FROM items UNION SELECT item_id, created_by_id FROM revisions"
    )

    op.add_column("users", sa.Column("session_token", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id).values(session_token=secrets.token_hex(16))
        )

    op.add_column("audit_entries", sa.Column("body_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_audit_entries_body_id"), "audit_entries", ["body_id"])


def downgrade():
    op.drop_index(op.f("ix_audit_entries_body_id"), table_name="audit_entries")
    # plain ALTER (SQLite >= 3.35, PostgreSQL): a batch rebuild would drop the audit triggers
    op.execute("ALTER TABLE audit_entries DROP COLUMN body_id")
    op.execute("ALTER TABLE users DROP COLUMN session_token")
    op.drop_table("item_contributors")
