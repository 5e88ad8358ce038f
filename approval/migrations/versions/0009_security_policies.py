"""A body's security policy (password expiry, lockout, session limits), set by its security admin.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "security_policies",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("password_max_age_days", sa.Integer(), nullable=False),
        sa.Column("login_max_failures", sa.Integer(), nullable=False),
        sa.Column("login_failure_window_minutes", sa.Integer(), nullable=False),
        sa.Column("login_lock_minutes", sa.Integer(), nullable=False),
        sa.Column("session_idle_minutes", sa.Integer(), nullable=False),
        sa.Column("session_max_hours", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_security_policies_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("body_id", name=op.f("pk_security_policies")),
    )


def downgrade():
    op.drop_table("security_policies")
