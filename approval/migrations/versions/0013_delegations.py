"""请假代理: delegations of a reviewer's role to a deputy for a date range, and the decisions a
deputy took on someone's behalf.

- delegations: principal, deputy, the delegated role, local start and end dates (inclusive), an
  optional reason, revocation; indexes for a deputy's active delegations (asked on every request
  that checks what they may do), for a principal's (their list, the overlap check) and for a
  body's (the deputies to notify when an item reaches a step);
- decisions.on_behalf_of_id: the principal whose role a deputy decided in. Added with ALTER TABLE
  ... ADD COLUMN (no table rebuild, which would drop the table's append-only triggers).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("deputy_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_delegations_dates_in_order")),
        sa.CheckConstraint("deputy_id <> principal_id", name=op.f("ck_delegations_not_oneself")),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_delegations_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["users.id"], name=op.f("fk_delegations_principal_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deputy_id"], ["users.id"], name=op.f("fk_delegations_deputy_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["users.id"], name=op.f("fk_delegations_revoked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegations")),
    )
    op.create_index("ix_delegations_deputy_ends", "delegations", ["deputy_id", "ends_on"])
    op.create_index("ix_delegations_principal_ends", "delegations", ["principal_id", "ends_on"])
    op.create_index("ix_delegations_body_ends", "delegations", ["body_id", "ends_on"])
    # one statement both databases accept (Alembic's add_column cannot add a foreign key on SQLite)
    op.execute(
        "ALTER TABLE decisions ADD COLUMN on_behalf_of_id INTEGER "
        "CONSTRAINT fk_decisions_on_behalf_of_id_users REFERENCES users (id)"
    )


def downgrade():
    # plain ALTER (SQLite >= 3.35, PostgreSQL): a batch rebuild would drop the table's triggers
    op.execute("ALTER TABLE decisions DROP COLUMN on_behalf_of_id")
    op.drop_index("ix_delegations_body_ends", table_name="delegations")
    op.drop_index("ix_delegations_principal_ends", table_name="delegations")
    op.drop_index("ix_delegations_deputy_ends", table_name="delegations")
    op.drop_table("delegations")
