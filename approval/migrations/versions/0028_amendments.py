"""修订 (issue 24): an amendment of a published item walks the chain as an item of its own and,
published, replaces the item's public version under the same 索引号; the 修订记录 keeps every
public version (publication/amendments.py).

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

OPEN = "amends_id IS NOT NULL AND state NOT IN ('applied', 'withheld', 'abandoned')"


def upgrade():
    # plain ALTERs, as 0017 and 0025: a batch rebuild of items would drop its triggers
    op.execute(
        "ALTER TABLE items ADD COLUMN amends_id INTEGER "
        "CONSTRAINT fk_items_amends_id_items REFERENCES items (id)"
    )
    op.add_column("items", sa.Column("amendment_note", sa.Text(), nullable=True))
    op.add_column("items", sa.Column("revised_at", sa.DateTime(), nullable=True))
    op.add_column(
        "items",
        sa.Column(
            "amendment_hides_earlier", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.create_index("ix_items_amends_id", "items", ["amends_id"])
    op.create_index(
        "ix_items_open_amendment",
        "items",
        ["amends_id"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )
    op.create_index(
        "ix_items_revised",
        "items",
        ["body_id", "revised_at"],
        sqlite_where=sa.text("revised_at IS NOT NULL"),
        postgresql_where=sa.text("revised_at IS NOT NULL"),
    )
    op.create_table(
        "public_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("hides_earlier", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.id"], name=op.f("fk_public_versions_item_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"], ["revisions.id"], name=op.f("fk_public_versions_revision_id_revisions")
        ),
        sa.ForeignKeyConstraint(
            ["amendment_id"], ["items.id"], name=op.f("fk_public_versions_amendment_id_items")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"], ["users.id"], name=op.f("fk_public_versions_published_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_versions")),
        sa.UniqueConstraint("item_id", "number", name=op.f("uq_public_versions_item_id_number")),
    )
    # every item that was ever public has its first version: the revision it was published
    # with (a 公示's original, where its personal data has since been taken down)
    op.execute(
        "INSERT INTO public_versions (item_id, number, revision_id, note, published_at) "
        "SELECT id, 1, COALESCE(notice_original_revision_id, published_revision_id), '', "
        "published_at FROM items WHERE published_at IS NOT NULL "
        "AND published_revision_id IS NOT NULL"
    )


def downgrade():
    op.drop_table("public_versions")
    op.drop_index("ix_items_revised", table_name="items")
    op.drop_index("ix_items_open_amendment", table_name="items")
    op.drop_index("ix_items_amends_id", table_name="items")
    op.execute("ALTER TABLE items DROP COLUMN amendment_hides_earlier")
    op.execute("ALTER TABLE items DROP COLUMN revised_at")
    op.execute("ALTER TABLE items DROP COLUMN amendment_note")
    op.execute("ALTER TABLE items DROP COLUMN amends_id")
