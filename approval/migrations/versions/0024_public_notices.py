"""公示 (issue 24): the 公示期, the channel for objections, the objections, the take-down.

- revisions.notice_starts_on / notice_ends_on / objection_channel: part of the sealed content when
  set (NULL everywhere else, so no row is rewritten: a sealed revision is immutable, its trigger
  refuses an UPDATE, and a plain ADD COLUMN keeps the triggers on SQLite); a partial index on the
  end date, for the take-down job's "which 公示 are due";
- items.notice_taken_down_at / notice_original_revision_id: when the job took the personal data
  down, and the revision that was public until then;
- notice_objections: the objections (异议) staff log against a 公示, with their handling.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("revisions", sa.Column("notice_starts_on", sa.Date(), nullable=True))
    op.add_column("revisions", sa.Column("notice_ends_on", sa.Date(), nullable=True))
    op.add_column("revisions", sa.Column("objection_channel", sa.Text(), nullable=True))
    op.create_index(
        "ix_revisions_notice_ends_on",
        "revisions",
        ["notice_ends_on"],
        sqlite_where=sa.text("notice_ends_on IS NOT NULL"),
        postgresql_where=sa.text("notice_ends_on IS NOT NULL"),
    )
    op.add_column("items", sa.Column("notice_taken_down_at", sa.DateTime(), nullable=True))
    # one statement both databases accept (Alembic's add_column cannot add a foreign key on SQLite)
    op.execute(
        "ALTER TABLE items ADD COLUMN notice_original_revision_id INTEGER "
        "CONSTRAINT fk_items_notice_original_revision_id_revisions REFERENCES revisions (id)"
    )
    op.create_table(
        "notice_objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("handling", sa.Text(), nullable=False),
        sa.Column("handled_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_notice_objections_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_notice_objections_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_id"], ["users.id"], name=op.f("fk_notice_objections_handled_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_objections")),
    )
    op.create_index(
        "ix_notice_objections_item", "notice_objections", ["item_id", "received_on", "id"]
    )


def downgrade():
    op.drop_index("ix_notice_objections_item", table_name="notice_objections")
    op.drop_table("notice_objections")
    # plain ALTER (SQLite >= 3.35, PostgreSQL): a batch rebuild would drop the tables' triggers
    op.execute("ALTER TABLE items DROP COLUMN notice_original_revision_id")
    op.execute("ALTER TABLE items DROP COLUMN notice_taken_down_at")
    op.drop_index("ix_revisions_notice_ends_on", table_name="revisions")
    op.drop_column("revisions", "objection_channel")
    op.drop_column("revisions", "notice_ends_on")
    op.drop_column("revisions", "notice_starts_on")
