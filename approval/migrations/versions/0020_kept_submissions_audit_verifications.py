"""Nothing typed is lost, long checks as jobs (issue 27).

- kept_submissions: what a user posted after their session had ended (not files, not the CSRF
  token), kept for the same user to see filled in after signing in again;
- audit_verifications: a request to verify the audit chain, run by ``flask jobs run`` in
  batches, with its progress and result.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

BIG = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "kept_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("endpoint", sa.String(length=64), nullable=False),
        sa.Column("return_path", sa.String(length=500), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_submissions")),
        sa.UniqueConstraint("token", name=op.f("uq_kept_submissions_token")),
    )
    op.create_index(op.f("ix_kept_submissions_user_id"), "kept_submissions", ["user_id"])
    op.create_table(
        "audit_verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("entries_checked", BIG, nullable=False),
        sa.Column("total", BIG, nullable=True),
        sa.Column("first_broken_entry", BIG, nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_audit_verifications_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_verifications")),
    )
    op.create_index(op.f("ix_audit_verifications_outcome"), "audit_verifications", ["outcome"])


def downgrade():
    op.drop_index(op.f("ix_audit_verifications_outcome"), table_name="audit_verifications")
    op.drop_table("audit_verifications")
    op.drop_index(op.f("ix_kept_submissions_user_id"), table_name="kept_submissions")
    op.drop_table("kept_submissions")
