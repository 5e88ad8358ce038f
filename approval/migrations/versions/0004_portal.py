"""The public portal: scheduled publication and the office-edited portal pages
(信息公开指南, 信息公开制度).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("items", sa.Column("publish_at", sa.DateTime(), nullable=True))
    # one statement both databases accept (Alembic's add_column cannot add a foreign key on SQLite)
    op.execute(
        "ALTER TABLE items ADD COLUMN scheduled_by_id INTEGER "
        "CONSTRAINT fk_items_scheduled_by_id_users REFERENCES users (id)"
    )
    op.create_index("ix_items_state_publish_at", "items", ["state", "publish_at"])
    # the published revision's 主题分类, copied at publication: catalog pages page by an index
    op.execute(
        "ALTER TABLE items ADD COLUMN category_id INTEGER "
        "CONSTRAINT fk_items_category_id_categories REFERENCES categories (id)"
    )
    op.execute(
        "UPDATE items SET category_id = (SELECT r.category_id FROM revisions r "
        "WHERE r.id = items.published_revision_id) "
        "WHERE published_revision_id IS NOT NULL"
    )
    op.create_index(
        "ix_items_public_category", "items", ["category_id", "state", "published_at", "id"]
    )
    op.create_table(
        "portal_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_portal_pages_body_id_bodies")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_portal_pages_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_pages")),
        sa.UniqueConstraint("body_id", "slug", name=op.f("uq_portal_pages_body_id_slug")),
    )
    op.create_index("ix_categories_body_parent", "categories", ["body_id", "parent_id", "position"])


def downgrade():
    op.drop_index("ix_categories_body_parent", table_name="categories")
    op.drop_table("portal_pages")
    op.drop_index("ix_items_public_category", table_name="items")
    op.drop_index("ix_items_state_publish_at", table_name="items")
    op.execute("ALTER TABLE items DROP COLUMN category_id")
    # plain ALTER (SQLite >= 3.35, PostgreSQL): a batch rebuild would drop the table's triggers
    op.execute("ALTER TABLE items DROP COLUMN scheduled_by_id")
    op.execute("ALTER TABLE items DROP COLUMN publish_at")
