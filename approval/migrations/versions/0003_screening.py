"""Secrecy screening: findings stored with sealed revisions, the sensitive-word list, and the
reviewer's override reason on a sign-off despite high-severity findings.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "screening_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("excerpt", sa.String(length=300), nullable=False),
        sa.Column("matched", sa.String(length=200), nullable=False),
        sa.Column("masked", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["revisions.id"],
            name=op.f("fk_screening_findings_revision_id_revisions"),
        ),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_screening_findings_attachment_id_attachments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_findings")),
    )
    op.create_index(
        op.f("ix_screening_findings_revision_id"), "screening_findings", ["revision_id"]
    )
    op.create_table(
        "sensitive_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_sensitive_words_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sensitive_words")),
        sa.UniqueConstraint("body_id", "word", name=op.f("uq_sensitive_words_body_id_word")),
    )
    # decisions are immutable (triggers refuse UPDATE/DELETE); ADD COLUMN is DDL, not a row change
    op.add_column("decisions", sa.Column("override_reason", sa.Text(), nullable=True))


def downgrade():
    # plain ALTER (SQLite >= 3.35, PostgreSQL): a batch rebuild would drop the table's triggers
    op.execute("ALTER TABLE decisions DROP COLUMN override_reason")
    op.drop_table("sensitive_words")
    op.drop_index(op.f("ix_screening_findings_revision_id"), table_name="screening_findings")
    op.drop_table("screening_findings")
