"""Per-step time limits (各环节办理时限), in working days, per body and chain step.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "step_time_limits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("step_key", sa.String(length=32), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "working_days BETWEEN 1 AND 60", name=op.f("ck_step_time_limits_working_days_range")
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_step_time_limits_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_step_time_limits_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_step_time_limits")),
        sa.UniqueConstraint(
            "body_id", "step_key", name=op.f("uq_step_time_limits_body_id_step_key")
        ),
    )


def downgrade():
    op.drop_table("step_time_limits")
