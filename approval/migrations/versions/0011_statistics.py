"""The office's statistics: annual targets per department, a staleness setting per catalog
category, and the audit-trail index the statistics count from.

- department_targets: one target (> 0) per department and year (年度目标任务);
- categories.stale_after_days: days without a publication after which a category is listed as
  not updated (栏目不更新); NULL means the deployment's default. Added with ALTER TABLE ... ADD
  COLUMN (no table rebuild);
- ix_audit_entries_body_action_time (body_id, action, occurred_at): submissions, returns,
  withholdings and step decisions of one period are one index range each.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "department_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("target > 0", name=op.f("ck_department_targets_target_positive")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_department_targets_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_department_targets_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department_targets")),
        sa.UniqueConstraint(
            "department_id", "year", name=op.f("uq_department_targets_department_id_year")
        ),
    )
    op.add_column("categories", sa.Column("stale_after_days", sa.Integer(), nullable=True))
    op.create_index(
        "ix_audit_entries_body_action_time", "audit_entries", ["body_id", "action", "occurred_at"]
    )


def downgrade():
    op.drop_index("ix_audit_entries_body_action_time", table_name="audit_entries")
    # plain ALTER (SQLite >= 3.35, PostgreSQL): a batch rebuild would drop triggers
    op.execute("ALTER TABLE categories DROP COLUMN stale_after_days")
    op.drop_table("department_targets")
