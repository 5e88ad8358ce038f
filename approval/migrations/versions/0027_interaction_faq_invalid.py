"""互动回应 (issue 25, the rest): the 常见问题's order and version (the office edits and reorders
them), and closing a message as invalid (无效留言: the reason shown to the sender, the day, the
state it was closed from). Touches neither ``items`` nor ``revisions``.

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    # plain ADD COLUMNs (no batch rebuild): both tables are referenced by others
    op.add_column(
        "interaction_faqs",
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "interaction_faqs",
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
    )
    op.add_column("interaction_faqs", sa.Column("updated_at", sa.DateTime(), nullable=True))
    # the order they were shown in until now: newest first
    op.execute(
        "UPDATE interaction_faqs SET position = 1 + (SELECT COUNT(*) FROM interaction_faqs AS f "
        "WHERE f.body_id = interaction_faqs.body_id AND f.id > interaction_faqs.id)"
    )
    op.create_index(
        "ix_interaction_faqs_body_position", "interaction_faqs", ["body_id", "position", "id"]
    )
    op.add_column(
        "interaction_messages", sa.Column("invalid_reason", sa.String(length=500), nullable=True)
    )
    op.add_column("interaction_messages", sa.Column("invalid_on", sa.Date(), nullable=True))
    op.add_column(
        "interaction_messages", sa.Column("invalid_from", sa.String(length=16), nullable=True)
    )


def downgrade():
    op.execute("ALTER TABLE interaction_messages DROP COLUMN invalid_from")
    op.execute("ALTER TABLE interaction_messages DROP COLUMN invalid_on")
    op.execute("ALTER TABLE interaction_messages DROP COLUMN invalid_reason")
    op.drop_index("ix_interaction_faqs_body_position", table_name="interaction_faqs")
    op.execute("ALTER TABLE interaction_faqs DROP COLUMN updated_at")
    op.execute("ALTER TABLE interaction_faqs DROP COLUMN version")
    op.execute("ALTER TABLE interaction_faqs DROP COLUMN position")
