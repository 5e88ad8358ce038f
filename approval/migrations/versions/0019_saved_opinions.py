"""常用意见 (issue 27): each user's reusable opinions, in their order.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_opinions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_saved_opinions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_opinions")),
    )
    op.create_index("ix_saved_opinions_user_position", "saved_opinions", ["user_id", "position"])


def downgrade():
    op.drop_index("ix_saved_opinions_user_position", table_name="saved_opinions")
    op.drop_table("saved_opinions")
